import { describe, expect, it } from 'vitest';
import { brokerRequestFigures } from '../../src/runtime/service-figures.js';

const service = (brokerRequests?: Record<string, number>) => ({ handled: 0, duplicates: 0, redelivered: 0, restarts: 0, ...(brokerRequests ? { brokerRequests } : {}) });

describe('brokerRequestFigures', () => {
  it('sums every service per API and divides by the finished orders', () => {
    const figures = brokerRequestFigures(
      { order: service({ Produce: 300, Fetch: 100 }), payment: service({ Produce: 200, OffsetCommit: 150, Fetch: 50 }) },
      100,
    );
    expect(figures).toEqual({
      brokerRequestsPerOrder: 8,
      'brokerRequestsPerOrder.Fetch': 1.5,
      'brokerRequestsPerOrder.OffsetCommit': 1.5,
      'brokerRequestsPerOrder.Produce': 5,
    });
  });

  it('rounds to two decimals', () => {
    expect(brokerRequestFigures({ order: service({ Produce: 2 }) }, 3)).toEqual({ brokerRequestsPerOrder: 0.67, 'brokerRequestsPerOrder.Produce': 0.67 });
  });

  it('gives nothing where no service counted or no order finished', () => {
    expect(brokerRequestFigures({ order: service(), payment: service() }, 100)).toEqual({});
    expect(brokerRequestFigures({ order: service({ Produce: 5 }) }, 0)).toEqual({});
  });
});
