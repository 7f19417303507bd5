import { escapeHtml as esc } from './escape.js';
import { guaranteeSentence } from './guarantees.js';
import { GROUP_MEANING, SETTING_GROUPS, settingRow } from './settings-catalogue.js';
function durationText(ms) {
    const s = Math.round(ms / 1000);
    return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
function rowsOf(ts) {
    const rows = new Map();
    ts.forEach((t, i) => {
        for (const [key, value] of Object.entries(t.delivery)) {
            const info = settingRow(key) ?? { group: 'other', row: key, meaning: 'not yet described in the settings catalogue' };
            const id = `${info.group}|${info.row}`;
            const row = rows.get(id) ?? { info, cells: ts.map(() => []) };
            // the key is shown when the row gathers differently named settings
            row.cells[i].push(`${key}\u0000${String(value)}`);
            rows.set(id, row);
        }
    });
    return rows;
}
function differs(row) {
    const present = row.cells.filter((c) => c.length > 0).map((c) => c.map((x) => x.split('\u0000')[1]).join(' '));
    return present.length > 1 && new Set(present).size > 1;
}
function cellHtml(cell, showKey) {
    if (cell.length === 0)
        return '–';
    return cell
        .map((x) => {
        const [key, value] = x.split('\u0000');
        return showKey ? `<span class="key">${esc(key)}</span> ${esc(value)}` : esc(value);
    })
        .join('<br>');
}
export function settingsSection(result, heads) {
    const ts = result.transports;
    const basic = (label, cell) => `<tr><th scope="row" class="row">${esc(label)}</th><td class="meaning"></td>${ts.map((t) => `<td class="text">${cell(t)}</td>`).join('')}</tr>`;
    const rows = rowsOf(ts);
    const groups = [...SETTING_GROUPS, 'other'];
    const body = [
        `<tr class="group"><th colspan="${ts.length + 2}">run</th></tr>`,
        basic('status', (t) => `${esc(t.status)}${t.statusDetail ? ` — ${esc(t.statusDetail)}` : ''}`),
        basic('measured window', (t) => esc(durationText(t.measuredMs))),
        basic('warm-up (excluded)', (t) => esc(durationText(t.warmupMs))),
        basic('server', (t) => (t.versions.server ? esc(`${t.versions.server.name} ${t.versions.server.version}`) : '–')),
        basic('clients', (t) => t.versions.clients.map((c) => esc(`${c.name} ${c.version}`)).join('<br>') || '–'),
        basic('address', (t) => esc(t.address ?? '–')),
    ];
    let highlighted = 0;
    for (const g of groups) {
        const inGroup = [...rows.values()].filter((r) => r.info.group === g);
        if (inGroup.length === 0)
            continue;
        const meaning = g === 'other' ? 'settings the catalogue does not describe yet' : GROUP_MEANING[g];
        body.push(`<tr class="group"><th colspan="${ts.length + 2}">${esc(g)} <span class="note">— ${esc(meaning)}</span></th></tr>`);
        for (const row of inGroup) {
            const keys = new Set(row.cells.flatMap((c) => c.map((x) => x.split('\u0000')[0])));
            const hot = row.info.guarantee === true && differs(row);
            if (hot)
                highlighted++;
            body.push(`<tr${hot ? ' class="differs" title="delivery guarantee differs between transports"' : ''}><th scope="row" class="row">${esc(row.info.row)}</th><td class="meaning">${esc(row.info.meaning)}</td>${row.cells
                .map((c) => `<td class="text">${cellHtml(c, keys.size > 1 || row.info.row !== [...keys][0])}</td>`)
                .join('')}</tr>`);
        }
    }
    const words = guaranteeSentence(ts);
    const summary = `Settings and versions of each transport (${esc(String(rows.size))} delivery settings in ${esc(String(new Set([...rows.values()].map((r) => r.info.group)).size))} groups${highlighted ? `; ${highlighted} differ in what they guarantee` : ''})`;
    return `<section id="settings"><h2>What each transport ran with</h2>
${words ? `<p class="guarantee"><strong>Delivery guarantees differ.</strong> ${esc(words)}.</p>` : ''}
<details class="settings"><summary>${summary}</summary>
<p class="note">Grouped by what each setting decides. Highlighted rows differ between transports in what they guarantee, not only in speed: compare these before comparing numbers.</p>
<div class="table-wrap"><table class="settings"><thead><tr><th></th><th>what it means</th>${heads}</tr></thead><tbody>${body.join('')}</tbody></table></div>
</details></section>`;
}
//# sourceMappingURL=html-settings.js.map