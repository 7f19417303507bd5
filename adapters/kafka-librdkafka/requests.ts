/**
 * Requests a librdkafka client has sent, by Kafka API (`Produce`, `Fetch`, `OffsetCommit`, ...),
 * from its own statistics: every STATS_INTERVAL_MS librdkafka reports, per broker
 * connection, how many requests of each API it sent since it started. A figure read
 * between two reports is up to that old.
 */
export const STATS_INTERVAL_MS = 500;

export class RequestCounts {
  /** latest totals per client (a producer, each consumer) */
  private readonly byClient = new Map<string, Record<string, number>>();

  /** librdkafka config for one client of the connection: its stats reach this counter */
  configFor(clientName: string): Record<string, unknown> {
    return {
      'statistics.interval.ms': STATS_INTERVAL_MS,
      stats_cb: (data: { message?: string }) => this.read(clientName, data.message),
    };
  }

  private read(clientName: string, json: string | undefined): void {
    if (!json) return;
    let stats: { brokers?: Record<string, { req?: Record<string, number> }> };
    try {
      stats = JSON.parse(json) as typeof stats;
    } catch {
      return;
    }
    const totals: Record<string, number> = {};
    for (const broker of Object.values(stats.brokers ?? {})) {
      for (const [api, n] of Object.entries(broker.req ?? {})) if (n > 0) totals[api] = (totals[api] ?? 0) + n;
    }
    this.byClient.set(clientName, totals);
  }

  /** every client's totals summed */
  total(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const totals of this.byClient.values()) for (const [api, n] of Object.entries(totals)) out[api] = (out[api] ?? 0) + n;
    return out;
  }
}
