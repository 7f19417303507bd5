/** The report's stylesheet: large type and high contrast for projectors, a print layout. */
export const REPORT_CSS = `
:root { --ink: #111; --muted: #444; --line: #c8c8c8; --paper: #fff; --tint: #f3f3f0; --best: #fff4c2; --bad: #a40000; --good: #005a2b; }
* { box-sizing: border-box; }
html { font-size: 19px; }
body { margin: 0; color: var(--ink); background: var(--paper); font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.45; }
main { max-width: 1320px; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 2.1rem; margin: 0 0 .3rem; line-height: 1.2; word-break: break-word; }
h2 { font-size: 1.5rem; margin: 2.4rem 0 .8rem; padding-bottom: .3rem; border-bottom: 3px solid var(--ink); }
h3 { font-size: 1.15rem; margin: 0 0 .4rem; }
p { margin: .4rem 0; }
.lead { font-size: 1.2rem; max-width: 60rem; }
.comment { white-space: pre-wrap; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: .85rem; background: var(--tint); border-left: 4px solid var(--muted); padding: .6rem .9rem; max-width: 70rem; }
.badge { display: inline-block; padding: .1rem .6rem; border-radius: 4px; font-weight: 700; font-size: .9rem; border: 2px solid currentColor; vertical-align: middle; }
.badge.ok { color: var(--good); } .badge.bad { color: var(--bad); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.2rem; margin: 1rem 0; }
.facts dt { font-weight: 700; } .facts dd { margin: 0; word-break: break-word; }
.labels span { display: inline-block; background: var(--tint); border: 1px solid var(--line); border-radius: 4px; padding: 0 .4rem; margin: 0 .3rem .2rem 0; font-size: .9rem; }
nav.toc { font-size: .95rem; margin: 1rem 0; } nav.toc a { margin-right: 1rem; color: var(--ink); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: .35rem .7rem; text-align: right; vertical-align: top; }
th { background: var(--tint); }
th.row, td.row { text-align: left; font-weight: 600; }
tr.group th { text-align: left; background: #e2e2dc; font-size: .95rem; }
thead th { font-size: 1.05rem; border-bottom: 3px solid var(--ink); }
td.best { background: var(--best); font-weight: 800; }
td.best::after { content: " ★"; }
td.fail { color: var(--bad); font-weight: 700; }
td.text { text-align: left; }
.swatch { display: inline-block; width: .9em; height: .9em; border-radius: 2px; margin-right: .35em; vertical-align: -0.08em; border: 1px solid #0006; }
.note { color: var(--muted); font-size: .9rem; }
.figure { margin: 1.2rem 0 2rem; page-break-inside: avoid; break-inside: avoid; }
.chart { width: 100%; min-height: 340px; }
.nodata { border: 2px dashed var(--line); padding: 1rem; color: var(--muted); font-style: italic; margin: .4rem 0; }
.howto { font-size: .92rem; color: var(--muted); max-width: 70rem; }
.svg-wrap { overflow-x: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: #111; }
.seq-actor { font-size: 17px; font-weight: 700; }
.seq-event { font-size: 15px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
.seq-time { font-size: 14px; fill: #333; font-variant-numeric: tabular-nums; }
.hop-label { font-size: 15px; font-weight: 600; } .hop-value, .hop-tick, .hop-legend { font-size: 14px; }
.hop-legend { font-weight: 700; }
.thresholds li { margin: .15rem 0; } .pass { color: var(--good); font-weight: 700; } .failv { color: var(--bad); font-weight: 700; }
.status-banner { border: 3px solid var(--bad); color: var(--bad); padding: .6rem 1rem; font-weight: 700; margin: 1rem 0; }
.u-legend { font-size: 15px; } .u-legend .u-marker { width: 1.2em; height: 1.2em; }
.uplot { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.runline { color: var(--muted); font-size: .9rem; margin: .2rem 0 0; }
.findings h2 { margin-top: 1.2rem; }
.findings ul { margin: .3rem 0 .6rem; padding-left: 1.3rem; }
.findings li { margin: .25rem 0; font-size: 1.08rem; max-width: 72rem; }
.findings ul.warnings { list-style: none; padding: .5rem .9rem; border: 3px solid #b35900; background: #fff3e0; }
.findings ul.warnings li { color: #6b3500; font-weight: 600; }
.findings .flag { color: #b35900; }
.findings a.proof { font-size: .85rem; color: var(--muted); white-space: nowrap; }
td.tied { outline: 2px dotted #888; outline-offset: -4px; }
td .ci { display: block; font-size: .72rem; color: var(--muted); font-weight: 400; }
td.noise, th.noise { text-align: left; font-size: .82rem; color: var(--muted); max-width: 22rem; }
p.method { font-size: .8rem; }
p.guarantee { border-left: 5px solid #b35900; padding: .3rem .8rem; background: #fff8ee; max-width: 72rem; }
details > summary { cursor: pointer; font-weight: 600; padding: .3rem 0; }
table.settings td.meaning { text-align: left; color: var(--muted); font-size: .82rem; max-width: 20rem; }
table.settings tr.differs th, table.settings tr.differs td { background: #fff1d6; }
table.settings tr.differs th.row::before { content: "≠ "; color: #b35900; }
table.settings .key { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: .78rem; color: var(--muted); }
.cpu-part { font-size: 14px; font-weight: 700; }
footer { margin-top: 3rem; font-size: .85rem; color: var(--muted); }
@media (max-width: 1400px) { html { font-size: 17px; } main { padding: 1rem 1.4rem 2rem; } }
@media (max-width: 800px) { html { font-size: 16px; } main { padding: 1rem; } }
@media print {
  html { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { page-break-after: avoid; break-after: avoid; margin-top: 1.2rem; }
  table, .figure, svg { page-break-inside: avoid; break-inside: avoid; }
  td.best { background: none; text-decoration: underline; }
  details > summary { list-style: none; }
  .findings ul.warnings { background: none; }
  td .ci { font-size: 7pt; }
  table { font-size: 9pt; }
  th, td { padding: .15rem .35rem; }
  .table-wrap, .svg-wrap { overflow: visible; }
  .chart { min-height: 0; }
  svg { max-width: 100%; height: auto; }
  a { color: inherit; text-decoration: none; }
}
`;
//# sourceMappingURL=style.js.map