import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScenarioSchema, type Scenario, type ScenarioInput } from '../../src/scenario/schema.js';

/** A validated scenario from a partial one (defaults filled in as a scenario file would get them). */
export function scenarioOf(input: Omit<ScenarioInput, 'name'> & { name?: string }): Scenario {
  return ScenarioSchema.parse({ name: 'test', ...input });
}

export function tempRunDir(prefix = 'bench-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
