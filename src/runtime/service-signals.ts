/**
 * Imported first by the service host, before anything heavy loads: from here on a
 * SIGINT or SIGTERM sent to the whole process group (Ctrl-C, `timeout`, a CI cancel)
 * does not kill a service that is still starting. The host replaces this with its
 * real handler once it runs; until then the signal is only remembered.
 */
export const early: { signal?: NodeJS.Signals } = {};
const remember = (signal: NodeJS.Signals): void => {
  early.signal ??= signal;
};
process.on('SIGINT', remember);
process.on('SIGTERM', remember);

/** Hands over to the host's handler, calling it at once for a signal that came early. */
export function takeOverSignals(handler: () => void): void {
  process.off('SIGINT', remember);
  process.off('SIGTERM', remember);
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  if (early.signal) handler();
}
