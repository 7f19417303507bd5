import { describe, expect, it } from 'vitest';
import { hideSecrets, run } from '../../src/brokers/process.js';

describe('hideSecrets', () => {
  it('hides SCRAM credentials in a StorageTool command line', () => {
    const line = 'java kafka.tools.StorageTool format --add-scram SCRAM-SHA-256=[name=bench,password=6d17eac5] --add-scram SCRAM-SHA-512=[name=x,password=e492d313]';
    const hidden = hideSecrets(line);
    expect(hidden).not.toContain('6d17eac5');
    expect(hidden).not.toContain('e492d313');
    expect(hidden).toContain('name=bench,password=***]');
  });

  it('hides --password values and password: fields', () => {
    expect(hideSecrets('rabbitmqctl add_user bench --password s3cret now')).toBe('rabbitmqctl add_user bench --password *** now');
    expect(hideSecrets('login password: hunter2')).toBe('login password: ***');
  });

  it('a failing command names itself without the password', async () => {
    const err = await run('sh', ['-c', 'echo "bad password=abc123" >&2; exit 3', 'password=abc123']).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('sh -c');
    expect((err as Error).message).not.toContain('abc123');
  });
});
