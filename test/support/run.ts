import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import type { BrokerSettings } from '../../src/brokers/settings.js';
import { isOrderErrorCode } from '../../src/contract/error-catalogue.js';
import type { BrokerEndpoints, TransportName } from '../../src/contract/transport.js';
import { readEventLogs } from '../../src/runtime/event-log.js';
import { runTransport } from '../../src/runtime/transport-run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { CalibrationSettingsSchema, type Scenario } from '../../src/scenario/schema.js';
import { testEndpoints } from '../contract/endpoints.js';
import { tempRunDir } from './scenario.js';

const DEFAULT_CALIBRATION = JSON.stringify(CalibrationSettingsSchema.parse({}));

/**
 * The scenario without its calibration (a few seconds per run) unless the test changed the
 * scenario's `calibration` section from the default: a test that asks for a floor sets it.
 */
export function withoutDefaultCalibration(scenario: Scenario): Scenario {
  if (JSON.stringify(scenario.calibration) !== DEFAULT_CALIBRATION) return scenario;
  return { ...scenario, calibration: { ...scenario.calibration, samples: 0 } };
}

/**
 * Runs one transport as `bench run` does (the same result builder), in a temp directory; with
 * its event records. Every run of the suite also checks that each code its orders failed
 * under is one the error catalogue declares. No calibration unless the test set one.
 */
export async function runChecked(transport: TransportName, scenario: Scenario, own?: { endpoints: BrokerEndpoints; settings: BrokerSettings }) {
  const run = await runTransport({
    transport,
    scenario: withShortWarmup(withoutDefaultCalibration(scenario)),
    runId: `t${Math.random().toString(36).slice(2, 8)}`,
    runDir: tempRunDir(),
    endpoints: own?.endpoints ?? testEndpoints(),
    ...(own ? { brokerSettings: own.settings } : {}),
  });
  const uncatalogued = Object.keys(run.result.errorsByCode).filter((code) => !isOrderErrorCode(code));
  expect(uncatalogued, 'errorsByCode keys missing from src/contract/error-catalogue.ts').toEqual([]);
  return { ...run, records: readEventLogs(run.eventsDir) };
}

/**
 * The scenario with its longest warm-up at the warm-up itself, unless it set one: test runs
 * stay as short as they ask (their result says whether they were steady).
 */
export function withShortWarmup(scenario: Scenario): Scenario {
  if (scenario.workload.maxWarmup !== undefined) return scenario;
  return { ...scenario, workload: { ...scenario.workload, maxWarmup: scenario.workload.warmup } };
}

/** A shipped scenario, shortened for CI by the given changes. */
export function shortened(name: string, change: (s: Scenario) => void): Scenario {
  const s = structuredClone(loadScenario(name).scenario);
  change(s);
  return s;
}

/** Child processes of this process still alive (service processes must all be gone). */
export function childProcesses(): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)]).toString().trim().split('\n').filter((l) => l.includes('service-host'));
  } catch {
    return [];
  }
}
