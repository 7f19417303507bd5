#!/usr/bin/env node
// Entry point of the `bench` command. It runs the compiled JavaScript in dist/ (built by
// `npm ci` through `prepare`, or `npm run build`) when that build is newer than every
// TypeScript source; otherwise (a developer's edit, no build yet) the sources through
// tsx's loader, so an edit is never silently ignored. BENCH_FROM_SOURCE=1 forces tsx.
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './build-fresh.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = buildIsFresh(root);

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
