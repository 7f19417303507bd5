/** One progress line: sent, completed, failed, errors, dropped, current rate, p99 so far. */
export function progressLine(transport, elapsedS, s) {
    const c = s.counts;
    return (`${transport.padEnd(8)} ${elapsedS.toFixed(0).padStart(4)}s  sent ${String(c.attempted - c.dropped).padStart(7)}  ` +
        `done ${String(c.completed).padStart(7)}  failed ${String(c.failed).padStart(5)}  err ${String(c.errors + c.timedOut).padStart(5)}  ` +
        `drop ${String(c.dropped).padStart(5)}  in-flight ${String(s.inFlight).padStart(5)}  ${String(s.currentRate).padStart(5)}/s  p99 ${s.p99Ms.toFixed(1)} ms`);
}
/**
 * Shows a driver's progress: a live line rewritten in place on a terminal, a plain
 * line every few seconds otherwise (CI logs). Listens to the driver's `tick` events.
 */
export function attachProgress(transport, driver, out = process.stderr) {
    const tty = out.isTTY === true;
    const startedAt = Date.now();
    let lastPlain = 0;
    const onTick = (s) => {
        const elapsed = (Date.now() - startedAt) / 1000;
        const line = progressLine(transport, elapsed, s);
        if (tty)
            out.write(`\r\x1b[2K${line}`);
        else if (elapsed - lastPlain >= 5) {
            lastPlain = elapsed;
            out.write(`${line}\n`);
        }
    };
    driver.on('tick', onTick);
    return () => {
        driver.off('tick', onTick);
        if (tty)
            out.write('\r\x1b[2K');
    };
}
//# sourceMappingURL=progress.js.map