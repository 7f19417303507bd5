/** One handled event in a customer's stream: when it was handled and when its emitter emitted it. */
interface Handled {
  atUs: number;
  emittedAtUs: number;
  orderId: string;
}

/** A stream's events not yet judged (sorted by handling time), and the latest emission time judged before them. */
interface Stream {
  live: Handled[];
  latestEmittedUs: number;
}

/**
 * The per-customer ordering check: per handling service, customer and emitting
 * service, an event handled after one that its emitter emitted later is reordered
 * (counted once per late event). Events are judged in handling order once the logs
 * have been read past their handling time by the window; until then they wait, so
 * memory holds one window of events, and per stream one number after that.
 */
export class CustomerStreams {
  private readonly streams = new Map<string, Stream>();
  private pending = 0;
  reordered = 0;

  constructor(private readonly onReordered: (orderId: string) => void) {}

  add(service: string, customerId: string, emittedBy: string, atUs: number, emittedAtUs: number, orderId: string): void {
    const key = `${service}|${customerId}|${emittedBy}`;
    let s = this.streams.get(key);
    if (!s) this.streams.set(key, (s = { live: [], latestEmittedUs: -Infinity }));
    const h: Handled = { atUs, emittedAtUs, orderId };
    // mostly in order: insert from the end, after any handled in the same microsecond (read order breaks ties)
    let i = s.live.length;
    while (i > 0 && s.live[i - 1]!.atUs > atUs) i--;
    if (i === s.live.length) s.live.push(h);
    else s.live.splice(i, 0, h);
    this.pending++;
  }

  /** Judges every waiting event handled before `untilUs` (all of them when omitted). */
  judge(untilUs = Infinity): void {
    if (this.pending === 0) return;
    for (const s of this.streams.values()) {
      let n = 0;
      for (const h of s.live) {
        if (h.atUs >= untilUs) break;
        if (h.emittedAtUs < s.latestEmittedUs) {
          this.reordered++;
          this.onReordered(h.orderId);
        } else s.latestEmittedUs = h.emittedAtUs;
        n++;
      }
      if (n > 0) {
        s.live.splice(0, n);
        this.pending -= n;
      }
    }
  }

  /** Events read but not judged yet. */
  get waiting(): number {
    return this.pending;
  }
}
