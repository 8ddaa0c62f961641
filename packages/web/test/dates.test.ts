import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../src/dates.js';

describe('one date format per language', () => {
  it('writes a date the same way alone and with a time (English spelt out; Finnish and Swedish d.M.yyyy), in Finnish time', () => {
    expect(formatDate('2026-12-01', 'en')).toBe('1 December 2026');
    expect(formatDateTime('2026-12-01T08:00:00Z', 'en')).toMatch(/^1 December 2026\b.*10:00$/);
    expect(formatDate('2026-12-01', 'fi')).toBe('1.12.2026');
    expect(formatDateTime('2026-12-01T08:00:00Z', 'fi')).toMatch(/^1\.12\.2026\b/);
    expect(formatDate('2026-12-01', 'sv')).toBe('1.12.2026');
    expect(formatDateTime('2026-12-01T08:00:00Z', 'sv')).toMatch(/^1\.12\.2026\b/);
  });
});
