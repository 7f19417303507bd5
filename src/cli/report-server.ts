import { createServer, type Server } from 'node:http';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { parseResult } from '../result/schema.js';
import { escapeHtml as esc } from '../report/escape.js';
import { renderHtml } from '../report/html.js';

/**
 * Serves a reports directory over HTTP (node:http, 127.0.0.1 only): an index of runs,
 * newest first, and every file under the directory. A run without report.html gets
 * one rendered on request from its result.json.
 */

export interface RunEntry {
  /** directory of the run, relative to the reports directory, with `/` separators */
  path: string;
  scenario: string;
  startedAt: string;
  status: string;
  transports: string[];
  hasResult: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
};

/** Run directories (holding result.json) and comparison reports (report.html only) under `root`, newest first. */
export async function listRuns(root: string, maxDepth = 5): Promise<RunEntry[]> {
  const out: RunEntry[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    const rel = relative(root, dir).split(sep).join('/');
    if (files.has('result.json')) {
      try {
        const r = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as Record<string, unknown>;
        const scenario = (r['scenario'] ?? {}) as Record<string, unknown>;
        const transports = Array.isArray(r['transports']) ? (r['transports'] as Array<Record<string, unknown>>) : [];
        out.push({
          path: rel,
          scenario: String(scenario['name'] ?? '?'),
          startedAt: String(r['startedAt'] ?? ''),
          status: String(r['status'] ?? '?'),
          transports: transports.map((t) => String(t['name'] ?? '?')),
          hasResult: true,
        });
      } catch {
        out.push({ path: rel, scenario: '(unreadable result.json)', startedAt: '', status: '?', transports: [], hasResult: true });
      }
    } else if (files.has('report.html')) {
      const s = await stat(join(dir, 'report.html'));
      out.push({ path: rel, scenario: rel.split('/').slice(-2).join(' / '), startedAt: s.mtime.toISOString(), status: 'report', transports: [], hasResult: false });
    }
    if (depth >= maxDepth) return;
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await walk(join(dir, e.name), depth + 1);
  }
  await walk(root, 0);
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** The index page: one row per run, newest first. */
export function renderIndex(runs: RunEntry[], title: string): string {
  const href = (p: string, file: string): string => `/${p.split('/').map(encodeURIComponent).join('/')}${p ? '/' : ''}${file}`;
  const rows = runs
    .map(
      (r) =>
        `<tr><td>${esc(r.startedAt)}</td><td><a href="${esc(href(r.path, 'report.html'))}">${esc(r.scenario)}</a></td><td>${esc(r.transports.join(', '))}</td><td>${esc(r.status)}</td><td>${
          r.hasResult ? `<a href="${esc(href(r.path, 'result.json'))}">result.json</a>` : ''
        }</td><td class="path">${esc(r.path)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font:18px/1.45 system-ui,sans-serif;color:#111;margin:2rem auto;max-width:1200px;padding:0 1rem}h1{font-size:1.8rem}table{border-collapse:collapse;width:100%}th,td{border:1px solid #c8c8c8;padding:.35rem .6rem;text-align:left}th{background:#f3f3f0}a{color:#0050a0}.path{font-family:ui-monospace,monospace;font-size:.8rem;color:#444}</style></head>
<body><h1>${esc(title)}</h1><p>${runs.length} report${runs.length === 1 ? '' : 's'}, newest first.</p>
${runs.length === 0 ? '<p>No runs yet: <code>bench run &lt;scenario&gt;</code> writes them here.</p>' : `<table><thead><tr><th>started</th><th>scenario</th><th>transports</th><th>status</th><th>data</th><th>directory</th></tr></thead><tbody>${rows}</tbody></table>`}
</body></html>`;
}

/**
 * The file's bytes if it is a regular file that really lies inside `root`: symbolic
 * links are followed to where they point, and one pointing out of the directory (or
 * at a device or FIFO) is not served.
 */
async function fileIfExists(path: string, root: string): Promise<Buffer | null> {
  try {
    const real = await realpath(path);
    const realRoot = await realpath(root);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return null;
    const s = await stat(real);
    return s.isFile() ? await readFile(real) : null;
  } catch {
    return null;
  }
}

/** An HTTP server for a reports directory; call `.listen(port, '127.0.0.1')` on it. */
export function createReportServer(dir: string): Server {
  const root = resolve(dir);
  return createServer((req, res) => {
    const send = (status: number, type: string, body: string | Buffer): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, TYPES['.txt']!, 'only GET and HEAD\n');
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      } catch {
        return send(400, TYPES['.txt']!, 'bad path\n');
      }
      if (pathname === '/' || pathname === '/index.html') return send(200, TYPES['.html']!, renderIndex(await listRuns(root), `Reports in ${dir}`));
      const file = resolve(root, `.${pathname}`);
      if (file !== root && !file.startsWith(root + sep)) return send(403, TYPES['.txt']!, 'outside the reports directory\n');
      const body = await fileIfExists(file, root);
      if (body) return send(200, TYPES[extname(file)] ?? 'application/octet-stream', body);
      if (file.endsWith(`${sep}report.html`)) {
        const json = await fileIfExists(join(dirname(file), 'result.json'), root);
        if (json) {
          try {
            return send(200, TYPES['.html']!, renderHtml(parseResult(JSON.parse(json.toString('utf8')), 'result.json')));
          } catch (err) {
            return send(422, TYPES['.txt']!, `${err instanceof Error ? err.message : String(err)}\n`);
          }
        }
      }
      return send(404, TYPES['.txt']!, 'not found\n');
    })().catch((err: unknown) => send(500, TYPES['.txt']!, `${err instanceof Error ? err.message : String(err)}\n`));
  });
}
