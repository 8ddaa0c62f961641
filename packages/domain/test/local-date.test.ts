import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, compareLocalDates, isLocalDate, LOCAL_DATE_MAX, LOCAL_DATE_MIN, parseInstant, type LocalDate } from '../src/local-date.js';

describe('calendar dates', () => {
  it('refuses impossible days instead of rolling them over', () => {
    for (const d of ['2027-02-30', '2027-02-29', '2026-04-31', '2027-13-01', '2027-00-10', '2027-01-00', '2100-02-29']) expect(isLocalDate(d), d).toBe(false);
    for (const d of ['2028-02-29', '2000-02-29', '2027-12-31', '2027-01-01']) expect(isLocalDate(d), d).toBe(true);
  });

  it('accepts only 1900-01-01 .. 2199-12-31', () => {
    expect(isLocalDate(LOCAL_DATE_MIN)).toBe(true);
    expect(isLocalDate(LOCAL_DATE_MAX)).toBe(true);
    for (const d of ['1899-12-31', '2200-01-01', '9999-12-31', '0000-01-01', '+10000-01-01', '10000-01-01']) expect(isLocalDate(d), d).toBe(false);
  });

  it('orders dates in range as dates, and string order agrees', () => {
    const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }).map((x) => x.toISOString().slice(0, 10) as LocalDate);
    fc.assert(fc.property(day, day, (a, b) => {
      expect(isLocalDate(a) && isLocalDate(b)).toBe(true);
      const byDate = compareLocalDates(a, b);
      expect(Math.sign(byDate)).toBe(a < b ? -1 : a > b ? 1 : 0);
    }), { seed: 11 });
  });
});

describe('instants given by callers', () => {
  it('are refused when their day or time does not exist, or is out of range', () => {
    for (const s of ['2027-02-30T10:00:00Z', '2027-02-28T24:00:00Z', '2027-02-28T10:60:00Z', '9999-12-31T00:00:00Z', '+275760-09-13T00:00:00Z', '2027-02-28T10:00:00+25:00', 'yesterday', '']) {
      expect(parseInstant(s), s).toBeNull();
    }
  });
  it('are read as the instant they name', () => {
    expect(parseInstant('2027-02-28T10:00:00Z')).toBe(Date.UTC(2027, 1, 28, 10));
    expect(parseInstant('2027-02-28T12:00:00+02:00')).toBe(Date.UTC(2027, 1, 28, 10));
    expect(parseInstant('2027-02-28')).toBe(Date.UTC(2027, 1, 28));
  });
});

describe('adding days', () => {
  // The calendar as JavaScript's Date keeps it (proleptic Gregorian, UTC): the reference addDays is checked against.
  const byDate = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const date = fc.date({ min: new Date('0400-01-01T00:00:00Z'), max: new Date('9000-12-31T00:00:00Z'), noInvalidDate: true })
    .map((t) => t.toISOString().slice(0, 10) as LocalDate);
  it('lands on the same day as the calendar does, across months, leap days and centuries', () => {
    fc.assert(fc.property(date, fc.integer({ min: -200_000, max: 200_000 }), (d, n) => {
      const expected = byDate(d, n);
      // Only four-digit years are LocalDates.
      fc.pre(/^\d{4}-/.test(expected));
      expect(addDays(d, n)).toBe(expected);
    }), { numRuns: 5000 });
  });
  it('knows the days people meet', () => {
    expect(addDays('2024-02-28' as LocalDate, 1)).toBe('2024-02-29');
    expect(addDays('2100-02-28' as LocalDate, 1)).toBe('2100-03-01');
    expect(addDays('2000-02-28' as LocalDate, 1)).toBe('2000-02-29');
    expect(addDays('2026-12-31' as LocalDate, 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01' as LocalDate, -1)).toBe('2026-12-31');
    expect(addDays('2026-03-01' as LocalDate, 0)).toBe('2026-03-01');
  });
});
