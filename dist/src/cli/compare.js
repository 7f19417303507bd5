import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { compareResults, COMPARE_METRICS } from '../gate/compare.js';
import { compareLines } from '../gate/console.js';
import { loadResultFile, parseIntOption } from '../gate/load.js';
import { renderCompareMarkdown } from '../report/gate-markdown.js';
import { compareSentences } from '../findings/compare-sentences.js';
import { sentencesText } from '../findings/console.js';
const collectList = (value, previous) => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
/** `bench compare a.json b.json`: side by side per transport, with deltas and whether each is beyond noise. */
export function command() {
    return new Command('compare')
        .description('compare two results per transport: deltas and whether each is beyond noise')
        .argument('<a>', 'result.json (or its report directory)')
        .argument('<b>', 'result.json (or its report directory)')
        .option('--metric <list>', `metrics to compare, comma-separated (default ${COMPARE_METRICS.join(',')})`, collectList, [])
        .option('--markdown <file>', 'write the comparison as Markdown')
        .option('--resamples <n>', 'bootstrap resamples', '1000')
        .option('--seed <n>', 'bootstrap seed', '1')
        .action((fileA, fileB, flags) => {
        const resamples = parseIntOption('--resamples', flags.resamples, 100);
        const seed = parseIntOption('--seed', flags.seed, 0);
        const a = loadResultFile(fileA);
        const b = loadResultFile(fileB);
        const cmp = compareResults(a, b, { metrics: flags.metric.length ? flags.metric : undefined, resamples, seed });
        const said = sentencesText(b, compareSentences(cmp), 'What changed beyond noise');
        process.stdout.write([`a = ${fileA}`, `b = ${fileB}`, '', said, ...compareLines(cmp)].join('\n') + '\n');
        if (flags.markdown) {
            mkdirSync(dirname(flags.markdown), { recursive: true });
            writeFileSync(flags.markdown, renderCompareMarkdown(cmp));
        }
    });
}
//# sourceMappingURL=compare.js.map