/** Turns nats.js errors into one clear line that names the server's address. */
import { BenchError, UnreachableError } from '../../src/contract/errors.js';

function messageOf(err: unknown): string {
  const m = (err as { message?: unknown })?.message;
  return (typeof m === 'string' && m ? m : String(err)).split('\n')[0]!.trim();
}

function isConnectionFailure(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (name === 'ConnectionError' || name === 'ClosedConnectionError' || code === 'ECONNREFUSED' || code === 'ETIMEDOUT') return true;
    if (typeof message === 'string' && /ECONNREFUSED|connection refused|CONNECTION_REFUSED|timeout/i.test(message)) return true;
  }
  return false;
}

/** `nats at 127.0.0.1:4222 unreachable (connecting x): ...` or `nats at ...: <doing> failed: ...` */
export function natsError(address: string, doing: string, err: unknown): BenchError {
  if (err instanceof BenchError) return err;
  if (isConnectionFailure(err)) return new UnreachableError(address, `nats at ${address} unreachable (${doing}): ${messageOf(err)}`, { cause: err });
  const retriable = Boolean((err as { retriable?: unknown })?.retriable) || /timeout|503|no responders/i.test(messageOf(err));
  return new BenchError('TRANSPORT', `nats at ${address}: ${doing} failed: ${messageOf(err)}`, { cause: err, retriable });
}
