// Whether dist/ (built by `npm ci` through `prepare`, or `npm run build`) is newer than
// every TypeScript source: then the compiled JavaScript is what the sources say. Used by
// bin/bench.js and, for service processes started from the sources (tests), by
// src/runtime/service-process.ts. BENCH_FROM_SOURCE=1 answers no.
import { existsSync, readdirSync, statSync } from 'node:fs';

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

/** @param {string} root the checkout's root @returns {boolean} */
export function buildIsFresh(root) {
  const stamp = `${root}/dist/.stamp`;
  return (
    process.env.BENCH_FROM_SOURCE !== '1' &&
    existsSync(stamp) &&
    statSync(stamp).mtimeMs >= Math.max(newestSource(`${root}/src`), newestSource(`${root}/adapters`))
  );
}
