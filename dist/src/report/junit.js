import { formatActual, isSkipped } from '../gate/console.js';
import { verdictSubject } from '../gate/evaluate.js';
/** Escapes text for XML attributes and content, dropping characters XML 1.0 forbids. */
export function escapeXml(s) {
    return s
        .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&apos;');
}
/**
 * The gate's verdicts as JUnit XML: one testsuite per transport (per step, in a stepped scenario), one testcase per
 * threshold or regression check, a failure element (with the detail as message) for
 * each failed check and a skipped element for checks that could not be made.
 */
export function renderJUnit(outcome) {
    const byTransport = new Map();
    for (const v of outcome.verdicts)
        byTransport.set(verdictSubject(v), [...(byTransport.get(verdictSubject(v)) ?? []), v]);
    const failures = outcome.verdicts.filter((v) => !v.ok).length;
    const skipped = outcome.verdicts.filter(isSkipped).length;
    const out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="${escapeXml(`bench gate ${outcome.scenario}`)}" tests="${outcome.verdicts.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ];
    for (const [transport, verdicts] of byTransport) {
        const f = verdicts.filter((v) => !v.ok).length;
        const s = verdicts.filter(isSkipped).length;
        out.push(`  <testsuite name="${escapeXml(transport)}" tests="${verdicts.length}" failures="${f}" errors="0" skipped="${s}">`);
        out.push('    <properties>');
        out.push(`      <property name="scenario" value="${escapeXml(outcome.scenario)}"/>`);
        out.push(`      <property name="runId" value="${escapeXml(outcome.runId)}"/>`);
        if (outcome.noiseMethod)
            out.push(`      <property name="noiseMethod" value="${escapeXml(outcome.noiseMethod)}"/>`);
        out.push('    </properties>');
        const classname = escapeXml(`bench.${outcome.scenario}.${transport}`);
        for (const v of verdicts) {
            const open = `    <testcase name="${escapeXml(v.expression)}" classname="${classname}"`;
            if (isSkipped(v)) {
                out.push(`${open}>`, `      <skipped message="${escapeXml(v.detail)}"/>`, '    </testcase>');
            }
            else if (!v.ok) {
                const type = v.kind ?? 'threshold';
                out.push(`${open}>`, `      <failure message="${escapeXml(v.detail)}" type="${type}">${escapeXml(`${v.expression}: actual ${formatActual(v)}; ${v.detail}`)}</failure>`, '    </testcase>');
            }
            else {
                out.push(`${open}/>`);
            }
        }
        out.push('  </testsuite>');
    }
    out.push('</testsuites>', '');
    return out.join('\n');
}
//# sourceMappingURL=junit.js.map