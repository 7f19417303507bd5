import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ConfigError, quoteInput } from '../contract/errors.js';

/**
 * Reads a file the user named (a scenario, a thresholds file), as text: only a regular
 * file (never a directory, a device such as /dev/zero or a FIFO), and at most `maxBytes`.
 * Every failure is one ConfigError naming what (`scenario`, `--thresholds`) and the path.
 */
export function readInputFile(path: string, what: string, maxBytes: number): string {
  if (path.includes('\0')) throw new ConfigError(`${what} ${quoteInput(path)}: a path cannot hold a NUL character`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new ConfigError(`${what} ${quoteInput(path)}: cannot open (${describeFsError(err)})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ConfigError(`${what} ${quoteInput(path)}: is a directory; expected a file`);
    if (!st.isFile()) throw new ConfigError(`${what} ${quoteInput(path)}: not a regular file (a device, FIFO or socket); expected a file`);
    if (st.size > maxBytes) throw new ConfigError(`${what} ${quoteInput(path)}: ${st.size} bytes; expected at most ${maxBytes}`);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    // the file grew while it was read
    if (n > maxBytes) throw new ConfigError(`${what} ${quoteInput(path)}: more than ${maxBytes} bytes`);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** `no such file (ENOENT)`, `name too long (ENAMETOOLONG)`: an fs error in a few words. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  const words: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    ENAMETOOLONG: 'name too long',
    ELOOP: 'too many symbolic links',
    EEXIST: 'already exists',
  };
  return `${words[code] ?? 'error'} (${code})`;
}
