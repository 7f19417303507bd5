import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, relative } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  COMMAND_ERRORS,
  downstreamErrorOf,
  ExitCode,
  isOrderErrorCode,
  ORDER_ERRORS,
  orderErrorOfAnswer,
  orderErrorOfFailure,
} from '../../src/contract/error-catalogue.js';
import { BenchError } from '../../src/contract/errors.js';
import type { OrderRequest } from '../../src/contract/events.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import { OrderClient } from '../../src/runtime/order-client.js';

/** Every TypeScript and JavaScript source outside tests, builds and dependencies. */
function sources(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js)$/.test(e.name)) out.push({ file: relative(REPO_ROOT, p), text: readFileSync(p, 'utf8') });
    }
  };
  for (const dir of ['src', 'adapters', 'scripts', 'bin']) walk(join(REPO_ROOT, dir));
  return out;
}

const CATALOGUE = 'src/contract/error-catalogue.ts';
const all = sources();

/** Code literals in the places a code is given: a BenchError, an error answer, an order outcome. */
function producedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [/new BenchError\(\s*'([A-Z_0-9]+)'/g, /super\(\s*'([A-Z_0-9]+)'/g, /\berror: '([A-Z_0-9]+)'/g, /\berrorCode: '([A-Z_0-9]+)'/g, /(?:errorAnswer|answerError)\([^,']*'([A-Z_0-9]+)'/g];
  for (const { file, text } of all) for (const re of patterns) for (const m of text.matchAll(re)) found.set(m[1]!, file);
  return found;
}

describe('the error catalogue', () => {
  it('declares every code the sources give a BenchError, an error answer or an order outcome', () => {
    const produced = producedCodes();
    expect(produced.size, 'the scan finds the codes it should').toBeGreaterThan(8);
    for (const [code, file] of produced) {
      expect(Object.hasOwn(COMMAND_ERRORS, code) || isOrderErrorCode(code), `${code} (in ${file}) is not in ${CATALOGUE}`).toBe(true);
    }
  });

  it('holds no code that nothing produces', () => {
    // a declaration is an unquoted key; a use is the code quoted, anywhere in the sources
    for (const code of [...Object.keys(COMMAND_ERRORS), ...Object.keys(ORDER_ERRORS)]) {
      const users = all.filter(({ text }) => text.includes(`'${code}'`)).map((s) => s.file);
      expect(users.length, `${code} is declared but never produced`).toBeGreaterThan(0);
    }
  });

  it('says what each code means in one line, and gives each a way out', () => {
    for (const [code, e] of Object.entries(COMMAND_ERRORS)) {
      expect(e.meaning.length, code).toBeGreaterThan(20);
      expect(Object.values(ExitCode), code).toContain(e.exit);
      expect(new BenchError(code as keyof typeof COMMAND_ERRORS, 'x').exitCode).toBe(e.exit);
    }
    for (const [code, e] of Object.entries(ORDER_ERRORS)) {
      expect(e.meaning.length, code).toBeGreaterThan(20);
      expect(e.meaning, code).not.toMatch(/\n/);
    }
    expect(new BenchError('INVALID_CONFIG', 'x').exitCode).toBe(104);
    expect(new BenchError('UNREACHABLE', 'x').exitCode).toBe(106);
    expect(new BenchError('TRANSPORT', 'x').exitCode).toBe(1);
  });

  it('is the only source of exit codes: no number is given to process.exit or exitCode anywhere else', () => {
    const bypass = /process\.exit\(\s*\d|exitCode\s*=\s*\d|exitCode\s*[!=]==?\s*\d/;
    const offenders = all.filter(({ file, text }) => file !== CATALOGUE && bypass.test(text)).map((s) => `${s.file}: ${s.text.match(bypass)![0]}`);
    expect(offenders).toEqual([]);
  });

  it('maps client failures and error answers to catalogued codes', () => {
    expect(orderErrorOfFailure(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe('ORDER_SERVICE_UNREACHABLE');
    expect(orderErrorOfFailure(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }))).toBe('CONNECTION_RESET');
    expect(orderErrorOfFailure(Object.assign(new Error('too many open files'), { code: 'EMFILE' }))).toBe('CLIENT_ERROR');
    expect(orderErrorOfFailure(new SyntaxError('Unexpected token'))).toBe('CLIENT_ERROR');
    expect(orderErrorOfFailure(undefined)).toBe('CLIENT_ERROR');
    expect(orderErrorOfAnswer(503, JSON.stringify({ error: 'PUBLISH_FAILED', message: 'x' }))).toBe('PUBLISH_FAILED');
    // fastify's own error body names no catalogued code: counted by its status
    expect(orderErrorOfAnswer(500, JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'boom' }))).toBe('HTTP_500');
    expect(orderErrorOfAnswer(502, '<html>bad gateway</html>')).toBe('HTTP_502');
    expect(orderErrorOfAnswer(400, JSON.stringify({ error: 'toString' }))).toBe('HTTP_400');
    expect(isOrderErrorCode('HTTP_413')).toBe(true);
    expect(isOrderErrorCode('HTTP_x')).toBe(false);
    expect(isOrderErrorCode('Internal Server Error')).toBe(false);
    expect(downstreamErrorOf(new DOMException('timed out', 'TimeoutError'))).toBe('DOWNSTREAM_TIMEOUT');
    expect(downstreamErrorOf(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe('DOWNSTREAM_UNREACHABLE');
  });
});

describe('the order client counts every failure under a catalogued code', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const order: OrderRequest = { orderId: 'o1', customerId: 'priya', customerSeq: 1, intendedAtUs: 0, amountCents: 100, sku: 'sku-1', quantity: 1 };
  const listen = async (server: Server): Promise<string> => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(r)));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  };
  const submit = async (origin: string, lines: string[] = []) => {
    const client = new OrderClient({ origins: [origin], connections: 1, nowUs: () => Date.now() * 1000, onUnclassified: (l) => lines.push(l) });
    closers.push(() => client.close());
    return client.submit(order, AbortSignal.timeout(5_000));
  };

  it('refused, reset, a handler that threw, and an unreadable answer', async () => {
    const closed = createServer();
    const closedUrl = await listen(closed);
    await new Promise((r) => closed.close(r));
    expect((await submit(closedUrl)).errorCode).toBe('ORDER_SERVICE_UNREACHABLE');

    const resetting = createServer((req) => req.socket.destroy());
    expect((await submit(await listen(resetting))).errorCode).toBe('CONNECTION_RESET');

    const throwing = Fastify({ logger: false });
    throwing.post('/orders', async () => {
      throw new Error('boom');
    });
    await throwing.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => throwing.close());
    const threw = await submit(`http://127.0.0.1:${(throwing.server.address() as { port: number }).port}`);
    expect(threw).toMatchObject({ outcome: 'error', errorCode: 'HTTP_500' });

    const garbled = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{not json'));
    const lines: string[] = [];
    expect((await submit(await listen(garbled), lines)).errorCode).toBe('CLIENT_ERROR');
    expect(lines).toEqual([expect.stringMatching(/^order client: SyntaxError \(.+\) counted as CLIENT_ERROR$/)]);
  });
});
