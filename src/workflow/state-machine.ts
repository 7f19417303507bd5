import { FAILURE_PATH, HAPPY_PATH, type EventType, type TerminalType } from '../contract/events.js';

/** Allowed successors of each event type across both paths. */
const NEXT: ReadonlyMap<EventType | 'start', ReadonlySet<EventType>> = (() => {
  const next = new Map<EventType | 'start', Set<EventType>>();
  for (const path of [HAPPY_PATH, FAILURE_PATH] as readonly (readonly EventType[])[]) {
    let prev: EventType | 'start' = 'start';
    for (const type of path) {
      if (!next.has(prev)) next.set(prev, new Set());
      next.get(prev)!.add(type);
      prev = type;
    }
  }
  return next;
})();

export function isTerminal(type: EventType): type is TerminalType {
  return type === 'order_completed' || type === 'order_failed';
}

/** Whether `type` may follow `prev` (`start` for the first event of an order). */
export function isAllowedTransition(prev: EventType | 'start', type: EventType): boolean {
  return NEXT.get(prev)?.has(type) ?? false;
}

/** The expected sequence for an order, given whether its payment fails. */
export function expectedPath(paymentFails: boolean): readonly EventType[] {
  return paymentFails ? FAILURE_PATH : HAPPY_PATH;
}

/** Position (1-based) of an event type in its path. */
export function seqOf(type: EventType): number {
  const h = (HAPPY_PATH as readonly EventType[]).indexOf(type);
  if (h >= 0) return h + 1;
  return (FAILURE_PATH as readonly EventType[]).indexOf(type) + 1;
}

export interface SequenceVerdict {
  /** transitions not allowed by the workflow, as `prev→type` */
  invalid: string[];
  terminal?: TerminalType;
  /** more than one terminal event */
  multipleTerminals: boolean;
}

/**
 * Checks one order's events, in the order they happened (duplicates already removed),
 * against the workflow's state machine.
 */
export function checkSequence(types: readonly EventType[]): SequenceVerdict {
  const invalid: string[] = [];
  let prev: EventType | 'start' = 'start';
  let terminal: TerminalType | undefined;
  let terminals = 0;
  for (const type of types) {
    if (!isAllowedTransition(prev, type)) invalid.push(`${prev}→${type}`);
    if (isTerminal(type)) {
      terminals++;
      terminal ??= type;
    }
    prev = type;
  }
  const verdict: SequenceVerdict = { invalid, multipleTerminals: terminals > 1 };
  if (terminal) verdict.terminal = terminal;
  return verdict;
}
