import { describe, expect, it } from 'vitest';
import { toEpochMs } from '../src/internal/time.js';

describe('TimeInput: one time convention for every input', () => {
  it('reads a Date, epoch milliseconds and an ISO 8601 date-time with its offset as the same instant', () => {
    const ms = Date.UTC(2026, 11, 7, 9, 0, 0);
    expect(toEpochMs(new Date(ms), 'input.startTime')).toBe(ms);
    expect(toEpochMs(ms, 'input.startTime')).toBe(ms);
    expect(toEpochMs('2026-12-07T09:00:00Z', 'input.startTime')).toBe(ms);
    expect(toEpochMs('2026-12-07T10:00:00+01:00', 'input.startTime')).toBe(ms);
    expect(toEpochMs('2026-12-07T09:00:00.250Z', 'input.startTime')).toBe(ms + 250);
  });

  it('rejects a string without an offset (it would depend on the machine time zone), garbage and non-finite numbers, naming the field', () => {
    for (const bad of ['2026-12-07T09:00:00', '2026-12-07', 'yesterday', '', Number.NaN, Number.POSITIVE_INFINITY, new Date(Number.NaN)]) {
      expect(() => toEpochMs(bad, 'input.endTime')).toThrowError(expect.objectContaining({ name: 'InvalidInputError', field: 'input.endTime' }));
    }
    expect(() => toEpochMs('2026-12-07', 'input.endTime')).toThrow(/ISO 8601 date-time with an offset/);
  });
});
