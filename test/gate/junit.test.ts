import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { runGate, type GateOutcome } from '../../src/gate/run-gate.js';
import { escapeXml, renderJUnit } from '../../src/report/junit.js';
import { renderGateMarkdown } from '../../src/report/gate-markdown.js';
import { buildResult } from '../fixtures/gate/builder.js';

interface Failure { message: string; type: string; '#text': string }
interface TestCase { name: string; classname: string; failure?: Failure; skipped?: { message: string } }
interface Suite { name: string; tests: string; failures: string; skipped: string; testcase: TestCase | TestCase[] }

function parse(xml: string): { tests: string; failures: string; suites: Suite[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml);
  return { tests: doc.testsuites.tests, failures: doc.testsuites.failures, suites: doc.testsuites.testsuite };
}

const base = buildResult({ transports: [{ name: 'kafka', seed: 1 }] });
const outcome: GateOutcome = runGate(
  buildResult({
    scenario: 'smoke & <friends>',
    thresholds: { all: ['endToEnd.p99 < 250ms', 'errors.rate < 1%'], rest: ['lost == 0', 'figures.a"b\'c < 1'] },
    transports: [
      { name: 'kafka', seed: 2, latencyMs: 70 },
      { name: 'rest', seed: 3, errorsPerSec: 5, check: { lost: 2 } },
    ],
  }),
  { baselines: [base], metrics: ['endToEnd.p99'] },
);

describe('renderJUnit', () => {
  it('has testsuites > testsuite[name,tests,failures] > testcase[name,classname] > failure[message], counts consistent', () => {
    const { tests, failures, suites } = parse(renderJUnit(outcome));
    expect(suites.map((s) => s.name)).toEqual(['kafka', 'rest']);
    let total = 0;
    let failed = 0;
    for (const s of suites) {
      const cases = [s.testcase].flat();
      expect(Number(s.tests)).toBe(cases.length);
      expect(Number(s.failures)).toBe(cases.filter((c) => c.failure).length);
      expect(Number(s.skipped)).toBe(cases.filter((c) => c.skipped).length);
      for (const c of cases) {
        expect(c.name).toBeTruthy();
        expect(c.classname).toBe(`bench.smoke & <friends>.${s.name}`);
        if (c.failure) expect(c.failure.message).toBeTruthy();
      }
      total += cases.length;
      failed += Number(s.failures);
    }
    expect(Number(tests)).toBe(total);
    expect(Number(failures)).toBe(failed);
    expect(failed).toBe(outcome.verdicts.filter((v) => !v.ok).length);
  });

  it('one testcase per threshold and regression check, failures carrying the detail', () => {
    const { suites } = parse(renderJUnit(outcome));
    const kafka = [suites[0]!.testcase].flat();
    expect(kafka.map((c) => c.name)).toEqual(['endToEnd.p99 < 250ms', 'errors.rate < 1%', 'endToEnd.p99 within +10% of baseline']);
    expect(kafka[2]!.failure!.type).toBe('regression');
    expect(kafka[2]!.failure!.message).toMatch(/95% CI .* beyond \+10%/);
    const rest = [suites[1]!.testcase].flat();
    expect(rest.find((c) => c.name === 'lost == 0')!.failure!.message).toBe('2 is not == 0');
    expect(rest.find((c) => c.name === 'figures.a"b\'c < 1')!.failure!.message).toMatch(/no figure "a"b'c"/);
    expect(rest.find((c) => c.name.startsWith('endToEnd.p99 within'))!.skipped!.message).toMatch(/no baseline/);
  });

  it('escapes XML special characters and drops forbidden control characters', () => {
    expect(escapeXml(`a<b>&"c'\u0001d`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;d');
    const weird: GateOutcome = { ...outcome, verdicts: [{ transport: 'rest', expression: 'x < 1ms ]]>', ok: false, actual: null, detail: 'bad \u0007 & "worse"' }] };
    const { suites } = parse(renderJUnit(weird));
    const c = [suites[0]!.testcase].flat()[0]!;
    expect(c.name).toBe('x < 1ms ]]>');
    expect(c.failure!.message).toBe('bad  & "worse"');
  });

  it('is a pure function of the outcome', () => {
    expect(renderJUnit(outcome)).toBe(renderJUnit(outcome));
  });
});

describe('renderGateMarkdown', () => {
  it('summarises thresholds and regressions with escaped cells', () => {
    const md = renderGateMarkdown(outcome);
    expect(md).toMatch(/^### ❌ Gate failed \(\d+ of \d+\): smoke & \\<friends\\>/);
    expect(md).toContain('#### Thresholds');
    expect(md).toContain('#### Regressions against the baseline (limit 10%)');
    expect(md).toContain('| ❌ | rest | errors.rate \\< 1% | 5% | 5% is not \\< 1% |');
    expect(md).toContain('| – | rest | endToEnd.p99 within +10% of baseline | no baseline for this transport; not compared |');
  });

  it('shows the error for invalid input', () => {
    const bad = runGate(base, { thresholds: ['lost < 1ms'] });
    expect(renderGateMarkdown(bad)).toContain('invalid threshold "lost < 1ms"');
  });
});
