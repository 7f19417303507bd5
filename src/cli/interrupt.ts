import { ExitCode } from '../contract/error-catalogue.js';

/**
 * One interrupt path for every command. SIGINT and SIGTERM are caught from the moment
 * the program starts: with no command handling them yet (still starting up, nothing to
 * save), the process exits 105 at once; a command that has something to finish
 * (in-flight orders, a partial result, a server) registers a handler for the time it
 * runs. Ctrl-C, `timeout` and CI cancels signal the whole process group, so the service
 * processes get the same signal: they wait for the harness to ask them over IPC.
 */
type Handler = (signal: NodeJS.Signals) => void;
const handlers: Handler[] = [];
let installed = false;

export function installInterrupts(): void {
  if (installed) return;
  installed = true;
  const on = (signal: NodeJS.Signals): void => {
    const h = handlers[handlers.length - 1];
    if (h) return h(signal);
    process.stderr.write(`\n${signal}: stopping (nothing started yet)\n`);
    process.exit(ExitCode.aborted);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
}

/** Handles SIGINT/SIGTERM until the returned function is called. */
export function onInterrupt(handler: Handler): () => void {
  installInterrupts();
  handlers.push(handler);
  return () => {
    const i = handlers.lastIndexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
  };
}
