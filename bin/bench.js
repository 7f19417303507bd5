#!/usr/bin/env node
// Entry point of the `bench` command. It runs the compiled JavaScript in dist/ (built by
// `npm ci` through `prepare`, or `npm run build`) when that build is newer than every
// TypeScript source; otherwise (a developer's edit, no build yet) the sources through
// tsx's loader, so an edit is never silently ignored. BENCH_FROM_SOURCE=1 forces tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The newest modification time of a .ts file under a directory, ms. */
function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const stamp = `${root}/dist/.stamp`;
const compiled =
  process.env.BENCH_FROM_SOURCE !== '1' &&
  existsSync(stamp) &&
  statSync(stamp).mtimeMs >= Math.max(newestSource(`${root}/src`), newestSource(`${root}/adapters`));

let from = '../dist/src';
let ext = 'js';
if (!compiled) {
  const { register } = await import('tsx/esm/api');
  register();
  from = '../src';
  ext = 'ts';
}
// first of all: a signal at any moment ends the same way (exit 105)
const { installInterrupts } = await import(`${from}/cli/interrupt.${ext}`);
installInterrupts();
const { main } = await import(`${from}/cli/main.${ext}`);
await main(process.argv);
