/**
 * A screenshot of a report's first screen (or the whole page) in headless chromium,
 * as a reader at a laptop sees it: 1366×900 by default.
 * Usage: node --import tsx scripts/report-screenshot.ts <report.html|url> <out.png> [--full] [--width 1366] [--height 900] [--pdf out.pdf]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCode } from '../src/contract/error-catalogue.js';
import { launchBrowser } from '../test/report/browser.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const full = args.includes('--full');
if (full) args.splice(args.indexOf('--full'), 1);
const width = Number(flag('--width') ?? 1366);
const height = Number(flag('--height') ?? 900);
const pdf = flag('--pdf');
const [input, out] = args;
if (!input || !out) {
  console.error('usage: report-screenshot.ts <report.html|url> <out.png> [--full] [--width N] [--height N] [--pdf out.pdf]');
  process.exit(ExitCode.invalidConfig);
}
const url = /^https?:/.test(input) ? input : pathToFileURL(resolve(input)).href;
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('html[data-charts-ready]', { timeout: 15_000 }).catch(() => undefined);
  await page.screenshot({ path: out, fullPage: full });
  if (pdf) await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  console.log(`${out}${pdf ? ` and ${pdf}` : ''}: ${width}×${height}${full ? ' (full page)' : ''}`);
} finally {
  await browser.close();
}
