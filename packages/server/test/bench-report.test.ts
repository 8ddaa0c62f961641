/** bench/results/report.md from the benchmarks' `report` rows (issue 12, item 9). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSources, renderReport } from '../bench/report.js';

describe('the benchmark report', () => {
  it('puts each figure beside its baseline and goal, counts the goals met, and names a file without rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'puolesta-report-'));
    writeFileSync(join(dir, 'check.json'), JSON.stringify({
      date: '2026-11-30T06:00:00.000Z',
      report: [
        { figure: 'check throughput vs bare Fastify route', value: 0.55, unit: '×', baseline: 'bare Fastify route 58,000 req/s (same run)', goal: '≥ 0.5×', met: true },
        { figure: 'check p99 at 2,000 req/s vs bare route p99', value: 1.4, unit: '×', baseline: 'bare p99 0.9 ms', goal: '≤ 1.2×', met: false },
        { figure: 'index load', value: 12345.678, unit: 's', baseline: 'heap 300 MB', goal: '', met: null },
      ],
    }));
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ date: '2026-11-01T00:00:00.000Z', rps: 1 }));
    writeFileSync(join(dir, 'notes.txt'), 'not a result');
    const md = renderReport(readSources(dir), new Date('2026-11-30T07:00:00Z'));
    expect(md).toContain('**1 of 2 goals met** — missed: check p99 at 2,000 req/s vs bare route p99.');
    expect(md).toContain('| check throughput vs bare Fastify route | 0.55 × | bare Fastify route 58,000 req/s (same run) | ≥ 0.5× | ✅ met |');
    expect(md).toContain('| check p99 at 2,000 req/s vs bare route p99 | 1.4 × | bare p99 0.9 ms | ≤ 1.2× | ❌ missed |');
    expect(md).toContain('| index load | 12,345.68 s | heap 300 MB |  | – |');
    expect(md).toMatch(/## old\n\nRun 2026-11-01T00:00:00.000Z\. From `bench\/results\/old.json`\.\n\n_No `report` rows/);
    expect(md).not.toContain('notes');
  });

  it('refuses a row without a figure or value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'puolesta-report-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ report: [{ value: 1 }] }));
    expect(() => readSources(dir)).toThrow(/bad\.json: a report row needs a figure/);
  });
});
