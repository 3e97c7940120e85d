import { describe, expect, it } from 'vitest';

import { energySeries, shiftDate } from './Energy';

describe('Energy helpers', () => {
  it('moves by day, week, month and year', () => {
    expect(shiftDate('2026-03-01', 'day', -1)).toBe('2026-02-28');
    expect(shiftDate('2026-06-01', 'week', 1)).toBe('2026-06-08');
    expect(shiftDate('2026-01-31', 'month', 1)).toBe('2026-02-01');
    expect(shiftDate('2026-06-15', 'year', -1)).toBe('2025-01-01');
  });
  it('turns buckets into kWh series with signed grid and battery', () => {
    const s = energySeries([{ time: '2026-06-01T12:00:00Z', end: '', solar_produced_wh: 5000, home_consumed_wh: 1000,
      grid_imported_wh: 0, grid_exported_wh: 3000, battery_charged_wh: 1000, battery_discharged_wh: 0 }]);
    expect(s.times).toEqual([Date.parse('2026-06-01T12:00:00Z') / 1000]);
    expect(s.series.map((x) => x.values[0])).toEqual([5, 1, -3, -1]);
  });
});
