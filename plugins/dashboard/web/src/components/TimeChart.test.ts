import { describe, expect, it } from 'vitest';

import { bucketLabel, labelStep, xRange } from './TimeChart';

const t = (iso: string) => Date.parse(iso) / 1000;

describe('TimeChart axes', () => {
  it('frames a single sample with an hour either side, not years', () => {
    const one = t('2026-06-01T12:00:00Z');
    expect(xRange([one])).toEqual([one - 3600, one + 3600]);
    const [lo, hi] = xRange([t('2026-06-01T07:00:00Z'), t('2026-06-01T19:00:00Z')]) ?? [0, 0];
    expect(hi - lo).toBe(12 * 3600);
    expect(xRange([])).toBeNull();
  });

  it('frames one daily or monthly bar with half a bucket either side', () => {
    const day = t('2026-06-01T00:00:00+01:00');
    expect(xRange([day], 'day')).toEqual([day - 43200, day + 43200]);
    const [lo, hi] = xRange([t('2026-06-01T00:00:00Z')], 'month') ?? [0, 0];
    expect(hi - lo).toBe(30 * 86400);
  });

  it('labels buckets by their own calendar date, whatever the browser\'s zone', () => {
    expect(bucketLabel('2026-06-03', 'day')).toBe('3 Jun');
    expect(bucketLabel('2026-06-01', 'month')).toBe('Jun');
    expect(bucketLabel('2026-06-01', 'month', true)).toBe('Jun 2026');
    expect(bucketLabel('2026-12-01T00:00:00+01:00', 'month', true)).toBe('Dec 2026');
  });

  it('thins the labels when they do not fit', () => {
    expect(labelStep(12, 20)).toBe(1);
    expect(labelStep(31, 8)).toBe(4);
  });
});
