import { describe, expect, it } from 'vitest';
import { closedOnOrBefore, DEFAULT_RETENTION, erasureDue, erasureDueOn, errandClosed, localDate, mandateClosed, retentionPolicy, type LocalDate } from '../src/index.js';

const d = (s: string): LocalDate => localDate(s);
const policy = retentionPolicy(30, 365, 60);

describe('when a closed item is due for erasure (decision 0017)', () => {
  it('a declined request closed on the day it was declined, and is due the given number of days later, not a day sooner', () => {
    const closed = mandateClosed({ status: 'rejected', validUntil: d('2027-12-31'), changedOn: d('2027-01-10') }, d('2027-01-11'));
    expect(closed).toEqual({ kind: 'request', closedOn: d('2027-01-10') });
    expect(erasureDueOn(closed!, policy)).toBe(d('2027-02-09'));
    expect(erasureDue(closed!, policy, d('2027-02-08'))).toBe(false);
    expect(erasureDue(closed!, policy, d('2027-02-09'))).toBe(true);
  });

  it('a request still pending after its last day closed the day after it, as a request', () => {
    const m = { status: 'requested', validUntil: d('2027-03-31'), changedOn: d('2027-01-01') };
    expect(mandateClosed(m, d('2027-03-31'))).toBeNull();
    expect(mandateClosed(m, d('2027-04-01'))).toEqual({ kind: 'request', closedOn: d('2027-04-01') });
  });

  it('mandates that took effect close when revoked, renounced, used up or past their last day, and are kept longer', () => {
    for (const status of ['revoked', 'renounced', 'consumed']) {
      expect(mandateClosed({ status, validUntil: d('2030-01-01'), changedOn: d('2027-05-05') }, d('2027-05-06'))).toEqual({ kind: 'mandate', closedOn: d('2027-05-05') });
    }
    const ended = mandateClosed({ status: 'active', validUntil: d('2027-06-30'), changedOn: d('2027-01-01') }, d('2027-07-01'))!;
    expect(ended).toEqual({ kind: 'mandate', closedOn: d('2027-07-01') });
    expect(erasureDue(ended, policy, d('2027-07-31'))).toBe(false);
    expect(erasureDue(ended, policy, d('2028-06-30'))).toBe(true);
  });

  it('open requests and mandates in force are never due', () => {
    expect(mandateClosed({ status: 'active', validUntil: d('2027-06-30'), changedOn: d('2020-01-01') }, d('2027-06-30'))).toBeNull();
    expect(mandateClosed({ status: 'requested', validUntil: d('2027-06-30'), changedOn: d('2020-01-01') }, d('2027-01-01'))).toBeNull();
  });

  it('an errand closes when decided, withdrawn or expired, and is due after its own period; one in progress never', () => {
    for (const status of ['decided', 'withdrawn', 'expired']) {
      const closed = errandClosed({ status, changedOn: d('2027-01-10') })!;
      expect(closed).toEqual({ kind: 'errand', closedOn: d('2027-01-10') });
      expect(erasureDue(closed, policy, d('2027-03-10'))).toBe(false);
      expect(erasureDue(closed, policy, d('2027-03-11'))).toBe(true);
    }
    for (const status of ['draft', 'submitted', 'awaiting-signatures', 'returned', 'declined']) expect(errandClosed({ status, changedOn: d('2020-01-01') })).toBeNull();
  });

  it('candidates are bounded by the shorter period, and a policy needs whole days of at least one', () => {
    expect(closedOnOrBefore(policy, d('2027-03-01'))).toBe(d('2027-01-30'));
    expect(DEFAULT_RETENTION.closedRequestDays).toBeLessThan(DEFAULT_RETENTION.endedMandateDays);
    expect(() => retentionPolicy(0, 10)).toThrow(/closedRequestDays/);
    expect(() => retentionPolicy(10, 1.5)).toThrow(/endedMandateDays/);
    expect(() => retentionPolicy(10, 10, -1)).toThrow(/closedErrandDays/);
    expect(closedOnOrBefore(policy, d('2027-03-01'), ['errand'])).toBe(d('2026-12-31'));
  });
});
