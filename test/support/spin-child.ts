import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

const children: ChildProcess[] = [];

/** Kills, after each test of the file that imports this, every child it started. */
export function killChildrenAfterEach(): void {
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });
}

/** A node child that says `ready` once running, then spins (busy) or waits (idle). */
export async function child(busy: boolean): Promise<ChildProcess> {
  const body = busy ? 'console.log("ready"); for (;;) {}' : 'console.log("ready"); setInterval(() => {}, 60_000)';
  const c = spawn(process.execPath, ['-e', body], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(c);
  await new Promise<void>((resolve, reject) => {
    c.stdout!.once('data', () => resolve());
    c.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  return c;
}
