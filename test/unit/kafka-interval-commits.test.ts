import { describe, expect, it } from 'vitest';
import { IntervalCommitter, type PartitionOffset } from '../../adapters/kafka/offsets.js';

function committer(o: { fail?: () => boolean } = {}) {
  const commits: PartitionOffset[][] = [];
  const c = new IntervalCommitter({
    intervalMs: 60_000,
    commit: async (offsets) => {
      if (o.fail?.()) throw new Error('refused');
      commits.push(offsets);
    },
  });
  return { c, commits };
}

describe('IntervalCommitter', () => {
  it('commits the offset after the last handled record of each partition, in one commit', async () => {
    const { c, commits } = committer();
    const g = c.current;
    c.handled(g, 0, '4');
    c.handled(g, 0, '5');
    c.handled(g, 2, '9');
    await c.flush();
    expect(commits).toEqual([[{ partition: 0, offset: '6' }, { partition: 2, offset: '10' }]]);
    await c.flush();
    expect(commits).toHaveLength(1);
  });

  it('never commits a record before its handler resolved', async () => {
    const { c, commits } = committer();
    const g = c.current;
    c.handled(g, 1, '0');
    // record 1 of partition 1 is being handled: not reported yet
    await c.flush();
    expect(commits).toEqual([[{ partition: 1, offset: '1' }]]);
  });

  it('a rebalance commits what is pending at once and ignores handlers that began before it', async () => {
    const { c, commits } = committer();
    const before = c.current;
    c.handled(before, 0, '7');
    await c.revoke();
    expect(commits).toEqual([[{ partition: 0, offset: '8' }]]);
    c.handled(before, 1, '3'); // began in the old generation: its partition may have moved
    c.reset();
    c.handled(c.current, 0, '20');
    await c.stop();
    expect(commits).toEqual([[{ partition: 0, offset: '8' }], [{ partition: 0, offset: '21' }]]);
  });

  it('keeps the offsets of a failed commit for the next one, unless a rebalance came between', async () => {
    let failing = true;
    const { c, commits } = committer({ fail: () => failing });
    c.handled(c.current, 0, '1');
    await c.flush();
    failing = false;
    c.handled(c.current, 3, '2');
    await c.flush();
    expect(commits).toEqual([[{ partition: 0, offset: '2' }, { partition: 3, offset: '3' }]]);

    failing = true;
    c.handled(c.current, 0, '5');
    const pending = c.flush();
    c.reset();
    await pending;
    failing = false;
    await c.flush();
    expect(commits).toHaveLength(1);
  });

  it('handles offsets beyond 2^53', async () => {
    const { c, commits } = committer();
    c.handled(c.current, 0, '9007199254740993');
    await c.flush();
    expect(commits).toEqual([[{ partition: 0, offset: '9007199254740994' }]]);
  });
});
