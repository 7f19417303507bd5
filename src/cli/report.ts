import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { BenchError, ConfigError, quoteInput } from '../contract/errors.js';
import { parseResult, type Result } from '../result/schema.js';
import { compareResults } from '../report/compare.js';
import { renderHtml, writeReports } from '../report/index.js';
import { renderCsv } from '../report/csv.js';
import { renderMarkdown } from '../report/markdown.js';
import { createReportServer } from './report-server.js';
import { onInterrupt } from './interrupt.js';
import { compareResults as compareRuns } from '../gate/compare.js';
import { compareSentences } from '../findings/compare-sentences.js';
import type { Sentence } from '../findings/sentences.js';

/**
 * `bench report <result.json|dir>...`: re-renders a run's HTML report, or puts several
 * runs into one comparison report; `--serve` browses the reports directory.
 */

interface ReportOptions {
  out?: string;
  merge?: boolean;
  open?: boolean;
  serve?: boolean;
  port: string;
  dir: string;
}

/** Reads a result from a result.json file or a run directory holding one; ConfigError with one line otherwise. */
export async function loadResult(input: string): Promise<{ result: Result; file: string }> {
  let file = resolve(input);
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new ConfigError(`${input}: no such file or directory (expected a result.json or a run directory containing one)`);
  }
  if (info.isDirectory()) {
    file = join(file, 'result.json');
    try {
      await stat(file);
    } catch {
      throw new ConfigError(`${input}: no result.json in this directory (expected a run directory written by bench run)`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (expected a bench result.json): ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return { result: parseResult(json, file), file };
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
}

function onPath(program: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((d) => {
    try {
      accessSync(join(d, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Opens a file with xdg-open when there is one; otherwise says where the file is. */
export function openInBrowser(path: string): void {
  if (!onPath('xdg-open')) {
    process.stdout.write(`no xdg-open here: open ${path} in a browser\n`);
    return;
  }
  const child = spawn('xdg-open', [path], { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stdout.write(`could not run xdg-open: open ${path} in a browser\n`));
  child.unref();
}

async function serve(dir: string, portText: string): Promise<void> {
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port ${portText}: expected a port number 0-65535`);
  const server = createReportServer(dir);
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'EADDRINUSE' ? new BenchError('PORT_TAKEN', `port ${port} on 127.0.0.1 is taken (choose another with --port)`) : err),
    );
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`serving ${resolve(dir)} at http://127.0.0.1:${actual}/ (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      server.close(() => done());
      server.closeAllConnections();
    };
    const off = onInterrupt(() => {
      off();
      stop();
    });
  });
}

/** A run's label in a comparison: its position on the command line (the header lists each run's id and date). */
function runLabel(index: number): string {
  return `run ${index + 1}`;
}

/** What changed from the first run to each later one, beyond noise (the gate's bootstrap), labelled by position. */
function changeSentences(results: Result[]): Sentence[] {
  const out: Sentence[] = [];
  for (let i = 1; i < results.length; i++) {
    const cmp = compareRuns(results[0]!, results[i]!, { labels: [runLabel(0), runLabel(i)], resamples: 400 });
    const said = compareSentences(cmp);
    out.push(...(results.length > 2 ? said.map((s) => ({ ...s, text: `${runLabel(0)} → ${runLabel(i)}: ${s.text}` })) : said));
  }
  return out.slice(0, 6);
}

async function report(inputs: string[], opts: ReportOptions): Promise<void> {
  if (opts.serve) {
    // `bench report DIR --serve` serves DIR; without one, --dir (reports/)
    if (inputs.length > 1) throw new ConfigError(`--serve: expected at most one directory to serve, got ${inputs.length} arguments`);
    const dir = inputs[0] ?? opts.dir;
    const st = await stat(dir).catch(() => undefined);
    if (!st?.isDirectory()) throw new ConfigError(`--serve ${quoteInput(dir)}: not a directory`);
    return serve(dir, opts.port);
  }
  if (inputs.length === 0) throw new ConfigError('bench report: expected one or more result.json files or run directories (or --serve)');
  const loaded = [];
  for (const input of inputs) loaded.push(await loadResult(input));

  let htmlPath: string;
  if (loaded.length === 1) {
    const { result, file } = loaded[0]!;
    if (opts.out) {
      htmlPath = resolve(opts.out);
      await mkdir(dirname(htmlPath), { recursive: true });
      await writeFile(htmlPath, renderHtml(result));
    } else {
      htmlPath = (await writeReports(result, dirname(file))).html;
    }
  } else {
    const combined = compareResults(
      loaded.map(({ result }, i) => ({ result, label: runLabel(i) })),
      opts.merge ? 'merge' : 'side-by-side',
    );
    const title = opts.merge ? `Pooled: ${combined.scenario.name}` : `Comparison: ${combined.scenario.name}`;
    const sentences = changeSentences(loaded.map((l) => l.result));
    const html = renderHtml(combined, { title, sentences, sentencesHeading: 'What changed beyond noise' });
    if (opts.out) {
      htmlPath = resolve(opts.out);
      await mkdir(dirname(htmlPath), { recursive: true });
      await writeFile(htmlPath, html);
    } else {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const dir = resolve(opts.dir, 'comparisons', stamp);
      await mkdir(dir, { recursive: true });
      htmlPath = join(dir, 'report.html');
      await Promise.all([writeFile(htmlPath, html), writeFile(join(dir, 'summary.md'), renderMarkdown(combined, sentences)), writeFile(join(dir, 'summary.csv'), renderCsv(combined))]);
    }
  }
  process.stdout.write(`report: ${htmlPath}\n`);
  if (opts.open) openInBrowser(htmlPath);
}

export function command(): Command {
  return new Command('report')
    .description('render the HTML report of a run (and summary.md, summary.csv), or one comparison report of several runs')
    .argument('[inputs...]', 'result.json files or run directories')
    .option('--out <file>', 'where to write the HTML (default: next to the result; comparisons go to <dir>/comparisons/<time>/)')
    .option('--merge', 'comparisons: pool same-named transports across runs (histograms merged) instead of showing runs side by side')
    .option('--open', 'open the report with xdg-open (or print where it is)')
    .option('--serve', 'serve a directory (the one given, else --dir) on 127.0.0.1 with an index of runs, newest first')
    .addOption(new Option('--port <n>', 'port for --serve').default('8080'))
    .option('--dir <dir>', 'the reports directory (for --serve and comparisons)', 'reports')
    .action(async (inputs: string[], opts: ReportOptions) => report(inputs, opts));
}
