import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

/**
 * A real browser for report tests: Debian's chromium driven by playwright-core (no
 * browser download). Installs chromium with apt-get when it is missing.
 */

export const CHROMIUM = '/usr/bin/chromium';

/** Installs chromium if absent (apt-get; runs `apt-get update` first only if the install fails). */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const started = Date.now();
  console.log(`[report tests] ${CHROMIUM} not found: installing chromium with apt-get (may take a few minutes)…`);
  const install = (): void => {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  try {
    install();
  } catch {
    console.log('[report tests] apt-get install failed; running apt-get update and retrying');
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    install();
  }
  console.log(`[report tests] chromium installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export interface LaunchedBrowser {
  newPage: () => Promise<Page>;
  close: () => Promise<void>;
}

/** Launches headless chromium with a fresh profile and flags that keep it quiet on a closed network. */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  ensureChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  return {
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
