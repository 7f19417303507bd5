import type { Consumer, Producer, RequestEvent } from 'kafkajs';

/**
 * Requests a process sent to the broker, by Kafka API name (`Produce`, `Fetch`,
 * `OffsetCommit`, `Heartbeat`, ...), counted from kafkajs's `REQUEST` instrumentation
 * event, which fires once per request answered (or timed out) on any connection of the
 * client it is attached to.
 */
export class RequestCounts {
  private readonly byApi = new Map<string, number>();

  /** Counts every request `client` sends from now on. */
  watch(client: Producer | Consumer): void {
    const count = (e: RequestEvent): void => this.add(e.payload.apiName);
    // the two overloads take the same listener; TypeScript cannot pick one for the union
    if ('send' in client) client.on(client.events.REQUEST, count);
    else client.on(client.events.REQUEST, count);
  }

  add(apiName: string): void {
    this.byApi.set(apiName, (this.byApi.get(apiName) ?? 0) + 1);
  }

  /** The counts so far, by API name. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.byApi);
  }
}
