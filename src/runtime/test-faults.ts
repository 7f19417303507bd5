import type { Channel, OrderEvent } from '../contract/events.js';

/**
 * Test-only faults in the transport layer, used to prove the checker: the first N
 * events a service publishes to one channel are dropped (reported as published),
 * published twice, or swapped with that customer's next event on the channel.
 */
export interface TestFaults {
  channel: Channel;
  drop?: number;
  duplicate?: number;
  reorder?: number;
}

type Publish = (to: Channel, event: OrderEvent) => Promise<void>;

export function withTestFaults(publish: Publish, faults: TestFaults | undefined): Publish {
  if (!faults) return publish;
  let drops = faults.drop ?? 0;
  let duplicates = faults.duplicate ?? 0;
  let reorders = faults.reorder ?? 0;
  /** an event held back until its customer's next event on the channel has gone out */
  const held = new Map<string, { event: OrderEvent; release: () => void }>();
  return async (to, event) => {
    if (to !== faults.channel) return publish(to, event);
    const waiting = held.get(event.customerId);
    if (waiting) {
      held.delete(event.customerId);
      await publish(to, event);
      await publish(to, waiting.event);
      waiting.release();
      return;
    }
    if (drops > 0) {
      drops--;
      return;
    }
    if (duplicates > 0) {
      duplicates--;
      await publish(to, event);
      return publish(to, event);
    }
    if (reorders > 0) {
      reorders--;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          // no later event of this customer came: publish in order (no reordering happens)
          if (held.get(event.customerId)?.event === event) {
            held.delete(event.customerId);
            void publish(to, event).then(resolve, resolve);
          }
        }, 5000);
        held.set(event.customerId, {
          event,
          release: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
      return;
    }
    return publish(to, event);
  };
}
