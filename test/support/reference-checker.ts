import type { EventRecord, EventType } from '../../src/contract/events.js';
import type { CheckResult } from '../../src/result/schema.js';
import { checkSequence } from '../../src/workflow/state-machine.js';
import type { CheckInput } from '../../src/check/checker.js';

interface OrderTrace {
  emitted: Map<string, EventRecord>;
  /** side effects applied to the order, by any service */
  effects: Set<string>;
  started: boolean;
  terminal: EventType[];
}

/**
 * The checker as it was when it read every record into memory at once, kept as the
 * oracle the streaming checker (src/check/checker.ts) must agree with. It checks what
 * the services recorded against the workflow:
 *  - lost: accepted, with no terminal event;
 *  - stuck: started (order_initiated recorded) but never accepted, not terminal, and seen
 *    by a service other than the order service; neverAccepted: the same, never beyond it;
 *  - duplicates: extra deliveries of an event to a service (same event id handled again);
 *  - duplicateEffects: a side effect applied more than once (must be zero);
 *  - reordered: per service and customer, an event handled after one that its emitter
 *    emitted later (counted once per late event);
 *  - invalidTransitions: transitions of an order's events not allowed by the state machine
 *    (the REST orchestrator's compensation, payment_failed without payment_initiated, is allowed);
 *  - compensationErrors: payment_failed without inventory_released, order_completed
 *    after payment_failed, or a payment charged for an order that failed (a saga that
 *    compensated a payment call which in fact went through).
 */
export function checkRecordsAtOnce(input: CheckInput): CheckResult {
  const fromUs = input.fromUs ?? 0;
  const keep = input.examples ?? 5;
  const orders = new Map<string, OrderTrace>();
  /** orders some service other than the order service recorded */
  const beyond = new Set<string>();
  const deliveries = new Map<string, number>();
  const effects = new Map<string, number>();
  /** per service+customer+emitter: the handled events, in handling order */
  const streams = new Map<string, EventRecord[]>();
  let redeliveries = 0;

  const trace = (orderId: string): OrderTrace => {
    let t = orders.get(orderId);
    if (!t) orders.set(orderId, (t = { emitted: new Map(), effects: new Set(), started: false, terminal: [] }));
    return t;
  };

  for (const r of input.records) {
    if (r.intendedAtUs < fromUs) continue;
    const t = trace(r.orderId);
    if (r.service !== 'order') beyond.add(r.orderId);
    if (r.role === 'emitted') {
      if (!t.emitted.has(r.eventId)) {
        t.emitted.set(r.eventId, r);
        if (r.type === 'order_initiated') t.started = true;
        if (r.type === 'order_completed' || r.type === 'order_failed') t.terminal.push(r.type);
      }
      continue;
    }
    const key = `${r.service}|${r.eventId}`;
    deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
    if (r.duplicate) redeliveries++;
    if (r.effect) {
      t.effects.add(r.effect);
      const e = `${r.orderId}|${r.service}|${r.effect}`;
      effects.set(e, (effects.get(e) ?? 0) + 1);
    }
    if (!r.duplicate) {
      const s = `${r.service}|${r.customerId}|${r.emittedBy}`;
      let list = streams.get(s);
      if (!list) streams.set(s, (list = []));
      list.push(r);
    }
  }

  const ex: Record<string, string[]> = {};
  const note = (kind: string, orderId: string): void => {
    const list = (ex[kind] ??= []);
    if (list.length < keep && !list.includes(orderId)) list.push(orderId);
  };

  let lost = 0;
  let stuck = 0;
  let neverAccepted = 0;
  let invalidTransitions = 0;
  let compensationErrors = 0;
  for (const orderId of input.accepted) {
    const t = orders.get(orderId);
    if (!t || t.terminal.length === 0) {
      lost++;
      note('lost', orderId);
    }
  }
  for (const [orderId, t] of orders) {
    if (t.started && t.terminal.length === 0 && !input.accepted.has(orderId)) {
      if (beyond.has(orderId)) {
        stuck++;
        note('stuck', orderId);
      } else neverAccepted++;
    }
    const ordered = [...t.emitted.values()].sort((a, b) => a.emittedAtUs - b.emittedAtUs || a.seq - b.seq);
    const sequence = ordered.map((r) => r.type);
    const complete = t.terminal.length > 0;
    // the orchestrator's compensation (payment unreachable → payment_failed emitted by the
    // order service) skips payment_initiated by design: judge it as if payment had begun
    const judged = ordered.flatMap((r) =>
      r.type === 'payment_failed' && r.emittedBy === 'order' && !sequence.includes('payment_initiated') ? (['payment_initiated', r.type] as const) : [r.type],
    );
    // an unfinished order is judged on what it did, not on what it did not get to do
    const verdict = checkSequence(judged);
    const invalid = verdict.invalid.length + (verdict.multipleTerminals ? 1 : 0);
    if (invalid > 0) {
      invalidTransitions += invalid;
      note('invalidTransitions', orderId);
    }
    const types = new Set(sequence);
    const chargedButFailed = t.effects.has('payment_charged') && t.terminal.includes('order_failed');
    if (chargedButFailed || (types.has('payment_failed') && ((complete && !types.has('inventory_released')) || types.has('order_completed')))) {
      compensationErrors++;
      note('compensationErrors', orderId);
    }
  }

  let duplicates = 0;
  for (const [key, n] of deliveries) {
    if (n > 1) {
      duplicates += n - 1;
      note('duplicates', key.split('|')[1]!.split(':')[0]!);
    }
  }
  let duplicateEffects = 0;
  for (const [key, n] of effects) {
    if (n > 1) {
      duplicateEffects += n - 1;
      note('duplicateEffects', key.split('|')[0]!);
    }
  }
  let reordered = 0;
  for (const list of streams.values()) {
    list.sort((a, b) => a.atUs - b.atUs);
    let latestEmitted = -Infinity;
    for (const r of list) {
      if (r.emittedAtUs < latestEmitted) {
        reordered++;
        note('reordered', r.orderId);
      } else latestEmitted = r.emittedAtUs;
    }
  }

  return {
    drained: input.drained,
    drainMs: Math.round(input.drainMs),
    lost,
    stuck,
    neverAccepted,
    duplicates,
    duplicateEffects,
    reordered,
    invalidTransitions,
    compensationErrors,
    redeliveries,
    examples: ex,
  };
}
