/**
 * Escaping for every place a user-provided string (scenario name, description,
 * labels, transport names, error codes) ends up in a report.
 */
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text safe inside HTML element content and quoted attribute values. */
export function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
/**
 * JSON safe inside `<script type="application/json">`: `<` becomes `\u003c` (so no
 * `</script>` or `<!--` can close the block), and the two JS line separators are escaped.
 */
export function jsonForScript(value) {
    return JSON.stringify(value)
        .replace(/</g, '\\u003c')
        .replace(/\u2028/g, '\\u2028')
        .replace(/\u2029/g, '\\u2029');
}
/** Text safe in one Markdown table cell: no pipes, no newlines, no HTML. */
export function markdownCell(text) {
    return String(text)
        .replace(/\r?\n|\r/g, ' ')
        .replace(/\\/g, '\\\\')
        .replace(/\|/g, '\\|')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/`/g, "'");
}
/** One CSV field (RFC 4180): quoted when it holds a comma, quote or newline; formula-leading characters neutralised. */
export function csvField(value) {
    if (value === null || value === undefined)
        return '';
    if (typeof value !== 'string')
        return String(value);
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
//# sourceMappingURL=escape.js.map