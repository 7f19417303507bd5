import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCollection, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError, oneLine, quoteInput } from '../contract/errors.js';
import { REPO_ROOT } from '../repo-root.js';
import { parseThreshold } from '../gate/expression.js';
import { readInputFile } from './read-input.js';
import { ScenarioSchema, type Scenario } from './schema.js';

/** The scenarios shipped with the harness. */
export const SCENARIO_DIR = join(REPO_ROOT, 'scenarios');

export interface LoadedScenario {
  scenario: Scenario;
  /** absolute path of the file it came from */
  file: string;
  /** the file's leading comment (what it shows, what to look for) */
  comment: string;
}

/** A scenario name (`order-happy-path`) or a path to a YAML file. */
export function resolveScenarioPath(nameOrPath: string, dir = SCENARIO_DIR): string {
  const looksLikePath = /[/\\]/.test(nameOrPath) || /\.ya?ml$/.test(nameOrPath);
  if (nameOrPath.includes('\0')) throw new ConfigError(`scenario ${quoteInput(nameOrPath)}: a name cannot hold a NUL character`);
  if (looksLikePath) {
    const p = resolve(nameOrPath);
    if (!existsSync(p)) throw new ConfigError(`${quoteInput(nameOrPath)}: no such scenario file`);
    return p;
  }
  for (const ext of ['.yaml', '.yml']) {
    const p = join(dir, nameOrPath + ext);
    // a name too long for the file system is simply not one of ours
    if (nameOrPath.length < 200 && existsSync(p)) return p;
  }
  const known = listScenarioFiles(dir).map((f) => basename(f).replace(/\.ya?ml$/, ''));
  throw new ConfigError(`unknown scenario ${quoteInput(nameOrPath)}: expected one of ${known.join(', ')} or a path to a .yaml file`);
}

export function listScenarioFiles(dir = SCENARIO_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** A scenario is a page of YAML; a megabyte is far more than any real one. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

export function loadScenario(nameOrPath: string, dir = SCENARIO_DIR): LoadedScenario {
  const file = resolveScenarioPath(nameOrPath, dir);
  return parseScenario(readInputFile(file, 'scenario', MAX_SCENARIO_BYTES), file);
}

/** Parses and validates scenario text; errors name the file, the field (and line) and what was expected. */
export function parseScenario(text: string, file: string): LoadedScenario {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lineOf(text, e.pos[0]);
    throw new ConfigError(`${file}${line ? `:${line}` : ''}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  checkShape(doc, file);
  let raw: unknown;
  try {
    // the yaml library refuses alias bombs (billion laughs) and unresolved aliases here
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError(`${file}: not a usable YAML document: ${oneLine((err as Error).message, 160)}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`${file}: expected a mapping with at least a "name" field`);
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(top level)';
    const node = issue.path.length ? doc.getIn(issue.path as (string | number)[], true) : undefined;
    const range = (node as { range?: [number, number] } | undefined)?.range;
    const line = range ? lineOf(text, range[0]) : undefined;
    throw new ConfigError(`${file}${line ? `:${line}` : ''}: field "${field}": ${describeIssue(issue)}`);
  }
  checkThresholdExpressions(parsed.data, file);
  return { scenario: parsed.data, file, comment: leadingComment(text) };
}

/** A scenario is a few levels deep; nothing real nests further. */
const MAX_DEPTH = 24;

/**
 * Refuses documents the YAML library would take minutes to turn into objects: deep
 * nesting, and maps or lists used as keys (each such key is stringified, level by
 * level: 240 nested `{` took 13 s here).
 */
function checkShape(doc: Document, file: string): void {
  visit(doc, {
    Pair(_key, pair, path) {
      if (isCollection(pair.key)) throw new ConfigError(`${file}: a map or list used as a key; expected plain keys`);
      if (path.length > MAX_DEPTH * 2) throw new ConfigError(`${file}: nested more than ${MAX_DEPTH} levels deep`);
    },
    Seq(_key, _seq, path) {
      if (path.length > MAX_DEPTH * 2) throw new ConfigError(`${file}: nested more than ${MAX_DEPTH} levels deep`);
    },
  });
}

/** Every threshold expression parses; an error names the file and the field (`thresholds.kafka.1`). */
function checkThresholdExpressions(scenario: Scenario, file: string): void {
  const lists: Array<[string, string[]]> = Array.isArray(scenario.thresholds) ? [['thresholds', scenario.thresholds]] : Object.entries(scenario.thresholds).map(([k, l]) => [`thresholds.${k}`, l]);
  for (const [field, list] of lists) {
    for (const [i, expression] of list.entries()) {
      try {
        parseThreshold(expression);
      } catch (err) {
        if (err instanceof ConfigError) throw new ConfigError(`${file}: field "${field}.${i}": ${err.message}`);
        throw err;
      }
    }
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

/** The comment block at the top of a scenario file, without the `#`. */
export function leadingComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) lines.push(line.replace(/^\s*#\s?/, ''));
    else if (line.trim() === '' && lines.length === 0) continue;
    else break;
  }
  return lines.join('\n').trim();
}
