import { existsSync, lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { ConfigError, quoteInput } from '../contract/errors.js';

/** The longest name one directory level may have on the file systems this runs on. */
const NAME_MAX = 255;

/**
 * A scenario name as one safe directory name: letters, digits, `.`, `_` and `-` only,
 * never `.` or `..` (which would climb out of reports/), at most 64 characters.
 */
export function safeDirName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 64);
  return safe === '' ? 'scenario' : safe;
}

/**
 * Creates a directory one level at a time (never `mkdir -p`, which spins on some
 * file systems such as /proc), naming the flag and the exact problem when it cannot.
 */
export function makeDirectory(path: string, flag: string): string {
  if (path === '') throw new ConfigError(`${flag} "": expected a directory path`);
  if (path.includes('\0')) throw new ConfigError(`${flag} ${quoteInput(path)}: a path cannot hold a NUL character`);
  const full = resolve(path);
  const parts = full.split(sep).filter(Boolean);
  const long = parts.find((p) => Buffer.byteLength(p) > NAME_MAX);
  if (long) throw new ConfigError(`${flag} ${quoteInput(path)}: the name ${quoteInput(long, 40)} is longer than ${NAME_MAX} bytes`);
  let at = parse(full).root;
  for (const part of parts) {
    at = join(at, part);
    let st;
    try {
      st = statSync(at);
    } catch {
      st = undefined;
    }
    if (st) {
      if (!st.isDirectory()) throw new ConfigError(`${flag} ${quoteInput(path)}: ${quoteInput(at)} is not a directory`);
      continue;
    }
    try {
      mkdirSync(at);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new ConfigError(`${flag} ${quoteInput(path)}: cannot create ${quoteInput(at)} (${code})`);
    }
  }
  return full;
}

/** Marks a directory as written by a live run: `.running` holds the harness's pid. */
export const RUNNING_MARKER = '.running';

/** The pid of a live run writing into this directory, if one is. */
export function liveRunIn(dir: string): number | undefined {
  const marker = join(dir, RUNNING_MARKER);
  if (!existsSync(marker) || !lstatSync(marker).isFile()) return undefined;
  // `<pid> <hostname>`, written by runScenario
  const pid = Number(readFileSync(marker, 'utf8').trim().split(' ')[0]);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The run's output directory. `--out` as given, checked and created (refused while
 * another live run writes there); by default `reports/<safe scenario name>/<runId>`,
 * new for every run: two runs started in the same second never share one.
 */
export function createRunDir(outDir: string | undefined, reportsDir: string, scenarioName: string, runId: string): string {
  if (outDir !== undefined) {
    const dir = makeDirectory(outDir, '--out');
    const live = liveRunIn(dir);
    if (live !== undefined) throw new ConfigError(`--out ${quoteInput(outDir)}: a run (pid ${live}) is still writing there; choose another directory`);
    return dir;
  }
  const parent = makeDirectory(join(reportsDir, safeDirName(scenarioName)), 'reports directory');
  const dir = join(parent, runId);
  try {
    mkdirSync(dir);
  } catch (err) {
    // the run id's random part makes this next to impossible; never share a directory
    throw new ConfigError(`reports directory ${quoteInput(dirname(dir))}: cannot create ${quoteInput(runId)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return dir;
}
