import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../contract/errors.js';
import { MAX_SCENARIO_BYTES } from '../scenario/load.js';
import { readInputFile } from '../scenario/read-input.js';
import { parseResult } from '../result/schema.js';
/** A result of a day-long run with every per-second histogram stays well below this. */
const MAX_RESULT_BYTES = 512 * 1024 * 1024;
/** Reads and validates a result.json; ConfigError (exit 104) when missing, not JSON or not a result. */
export function loadResultFile(file) {
    if (!existsSync(file))
        throw new ConfigError(`${file}: no such file`);
    if (statSync(file).isDirectory()) {
        const inner = join(file, 'result.json');
        if (!existsSync(inner))
            throw new ConfigError(`${file}: a directory without result.json; expected a result file`);
        return loadResultFile(inner);
    }
    let json;
    try {
        json = JSON.parse(readInputFile(file, 'result', MAX_RESULT_BYTES));
    }
    catch (err) {
        if (err instanceof ConfigError)
            throw err;
        throw new ConfigError(`${file}: not JSON (${err.message.split('\n')[0]}); expected a bench result.json`);
    }
    try {
        return parseResult(json, file);
    }
    catch (err) {
        throw new ConfigError(err.message);
    }
}
/** result.json files at or below a directory (a report directory holds `<scenario>/<timestamp>/result.json`). */
export function findResultFiles(dir, depth = 3) {
    const direct = join(dir, 'result.json');
    if (existsSync(direct))
        return [direct];
    if (depth === 0)
        return [];
    return readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
        .flatMap((name) => findResultFiles(join(dir, name), depth - 1));
}
/** Baselines from files and directories (every result.json found under a directory). */
export function loadBaselines(paths) {
    const files = paths.flatMap((p) => {
        if (!existsSync(p))
            throw new ConfigError(`--baseline ${p}: no such file or directory`);
        if (!statSync(p).isDirectory())
            return [p];
        const found = findResultFiles(p);
        if (found.length === 0)
            throw new ConfigError(`--baseline ${p}: no result.json in this directory or below it`);
        return found;
    });
    return files.map(loadResultFile);
}
/**
 * Thresholds from a YAML file: a list of expressions, a map of transport (or `all`) to
 * a list, or a scenario file (its `thresholds` field).
 */
export function loadThresholdsFile(file) {
    if (!existsSync(file))
        throw new ConfigError(`--thresholds ${file}: no such file`);
    let doc;
    try {
        doc = parseYaml(readInputFile(file, '--thresholds', MAX_SCENARIO_BYTES), { maxAliasCount: 100 });
    }
    catch (err) {
        if (err instanceof ConfigError)
            throw err;
        throw new ConfigError(`--thresholds ${file}: not valid YAML (${err.message.split('\n')[0]})`);
    }
    if (doc && typeof doc === 'object' && !Array.isArray(doc) && 'thresholds' in doc)
        doc = doc.thresholds;
    const strings = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (strings(doc))
        return doc;
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
        for (const [k, v] of Object.entries(doc)) {
            if (!strings(v))
                throw new ConfigError(`--thresholds ${file}: "${k}" must be a list of expressions`);
        }
        return doc;
    }
    throw new ConfigError(`--thresholds ${file}: expected a list of expressions, a map of transport (or "all") to a list, or a scenario with "thresholds"`);
}
/** `10%`, `10` or `0.5%` → 10, 10, 0.5. */
export function parsePercentOption(flag, value) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
    if (!m)
        throw new ConfigError(`${flag} "${value}": expected a percentage such as 10%`);
    return Number(m[1]);
}
export function parseIntOption(flag, value, min) {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
        throw new ConfigError(`${flag} "${value}": expected an integer ≥ ${min}`);
    return n;
}
//# sourceMappingURL=load.js.map