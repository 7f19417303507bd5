import type { TransportResult } from '../result/schema.js';
import type { Scenario } from '../scenario/schema.js';

/** Checks one transport's run from its services' event logs and writes the counts into its result. */
export async function checkTransport(_t: TransportResult, _ctx: { eventsDir: string; measureFromUs: number }, _scenario: Scenario): Promise<void> {}
