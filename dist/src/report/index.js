import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
export { renderHtml } from './html.js';
export { renderMarkdown } from './markdown.js';
export { renderCsv } from './csv.js';
/** Writes report.html, summary.md and summary.csv into `dir`; returns their paths. */
export async function writeReports(result, dir) {
    await mkdir(dir, { recursive: true });
    const paths = { html: join(dir, 'report.html'), markdown: join(dir, 'summary.md'), csv: join(dir, 'summary.csv') };
    await Promise.all([
        writeFile(paths.html, renderHtml(result)),
        writeFile(paths.markdown, renderMarkdown(result)),
        writeFile(paths.csv, renderCsv(result)),
    ]);
    return paths;
}
//# sourceMappingURL=index.js.map