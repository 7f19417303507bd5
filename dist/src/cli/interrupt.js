import { ExitCode } from '../contract/errors.js';
const handlers = [];
let installed = false;
export function installInterrupts() {
    if (installed)
        return;
    installed = true;
    const on = (signal) => {
        const h = handlers[handlers.length - 1];
        if (h)
            return h(signal);
        process.stderr.write(`\n${signal}: stopping (nothing started yet)\n`);
        process.exit(ExitCode.aborted);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
}
/** Handles SIGINT/SIGTERM until the returned function is called. */
export function onInterrupt(handler) {
    installInterrupts();
    handlers.push(handler);
    return () => {
        const i = handlers.lastIndexOf(handler);
        if (i >= 0)
            handlers.splice(i, 1);
    };
}
//# sourceMappingURL=interrupt.js.map