import { forDisplay } from './display.js';
import { csvField } from './escape.js';
import { VERDICT_COLUMNS, thresholdTally } from './verdict.js';
/** The verdict table as CSV: a header row, then one row per transport. */
export function renderCsv(input) {
    const result = forDisplay(input);
    const header = ['transport', 'status', ...VERDICT_COLUMNS.map((c) => c.key), 'thresholds_passed', 'thresholds_total'];
    const rows = result.transports.map((t) => {
        const tally = thresholdTally(t);
        return [t.name, t.status, ...VERDICT_COLUMNS.map((c) => c.value(t)), tally?.passed ?? null, tally?.total ?? null];
    });
    return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
//# sourceMappingURL=csv.js.map