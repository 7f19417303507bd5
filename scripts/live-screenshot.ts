/**
 * Screenshots of the live dashboard of a real run: starts the given bench command
 * (which must print "live dashboard: <url>"), opens the page in headless chromium at
 * 1366×900, waits until the named transport has been measuring for a while, takes the
 * screenshot, and lets the run finish (exit code passed through).
 * Usage: node --import tsx scripts/live-screenshot.ts --out shot.png [--transport kafka] [--after 12] -- node bin/bench.js run … --live
 */
import { spawn } from 'node:child_process';
import { ExitCode } from '../src/contract/error-catalogue.js';
import { launchBrowser } from '../test/report/browser.js';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const own = args.slice(0, split);
const cmd = args.slice(split + 1);
const flag = (name: string, fallback: string): string => {
  const i = own.indexOf(name);
  return i >= 0 ? own[i + 1]! : fallback;
};
const out = flag('--out', 'live.png');
const transport = flag('--transport', '');
const afterS = Number(flag('--after', '10'));
if (split < 0 || cmd.length === 0) {
  console.error('usage: live-screenshot.ts --out shot.png [--transport name] [--after seconds] -- <bench command with --live>');
  process.exit(ExitCode.invalidConfig);
}

const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'inherit', 'pipe'] });
const exit = new Promise<number>((r) => child.on('exit', (code) => r(code ?? ExitCode.failure)));
let stderr = '';
const url = await new Promise<string>((resolve, reject) => {
  child.stderr!.on('data', (d) => {
    process.stderr.write(d);
    stderr += String(d);
    const m = /live dashboard: (http:\/\/\S+)/.exec(stderr);
    if (m) resolve(m[1]!);
  });
  void exit.then(() => reject(new Error('the command ended before printing the dashboard URL')));
});
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(url);
  await page.waitForFunction((t) => new RegExp(`^${t}.*: measuring`).test(document.querySelector('#status')?.textContent ?? ''), transport, { timeout: 600_000 });
  await new Promise((r) => setTimeout(r, afterS * 1000));
  await page.screenshot({ path: out });
  console.error(`screenshot: ${out}`);
  await page.close();
} finally {
  await browser.close();
}
process.exitCode = await exit;
