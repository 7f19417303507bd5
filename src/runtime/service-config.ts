import type { ServiceName } from '../contract/events.js';
import type { MessagingRunSpec, TransportName } from '../contract/transport.js';
import type { WorkflowRules } from '../workflow/service.js';
import type { TestFaults } from './test-faults.js';

/** Everything a service process needs, passed as JSON in BENCH_SERVICE_CONFIG. */
export interface ServiceConfig {
  transport: TransportName;
  /** the run this process belongs to, for its process title */
  runId?: string;
  service: ServiceName;
  instance: number;
  /** directory of the run's event logs for this transport */
  eventsDir: string;
  rules: WorkflowRules;
  /** start of the measured window, epoch µs, once known (a restarted service gets it at start) */
  measureFromUs?: number;
  /** HTTP port to listen on (0 or absent: any free port) */
  port?: number;
  /** extra delay per event or request, ms */
  delayMs: number;
  /** work per event or request, done one at a time, ms */
  workMs: number;
  /** busy CPU per event or request, spun (not waited), ms; absent: none */
  cpuMs?: number;
  /** REST: downstream base URLs (order service) */
  downstream?: Partial<Record<ServiceName, string[]>>;
  rest?: { downstreamConnections: number; requestTimeoutMs: number };
  /** messaging transports */
  messaging?: MessagingRunSpec;
  /**
   * after SIGINT/SIGTERM, how long to wait for the harness to ask for figures and a
   * shutdown over IPC before shutting down alone, ms (the harness got the same signal)
   */
  signalGraceMs?: number;
  /** test-only: faults injected into this service's publishing */
  testFaults?: TestFaults;
}

/** Messages between the harness and a service process over IPC. */
export type HostMessage =
  | { type: 'ready'; port?: number; pid: number }
  | {
      type: 'stats';
      hops: Record<string, string>;
      handled: number;
      duplicates: number;
      redelivered: number;
      /** broker requests by API name since the measured window began (adapters that count them) */
      brokerRequests?: Record<string, number>;
    }
  | { type: 'fatal'; message: string };

export type HarnessMessage =
  | { type: 'stats' }
  | { type: 'delay'; ms: number }
  | { type: 'shutdown' }
  /** the measured window begins: hop latencies count only orders intended from then on */
  | { type: 'measure'; fromUs: number };
