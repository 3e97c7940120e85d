import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';

import type { ChargingSession, Vehicle } from '../api/types';
import { monthTotals } from '../pages/Charging';
import { renderWithProviders } from '../test/render';
import { ChargingTable, solarShare } from './ChargingTable';

const vehicles = [{ id: 1, vin: 'VIN1', display_name: 'Commuter' }, { id: 2, vin: 'VIN2', display_name: '' }] as Vehicle[];
const base: ChargingSession = {
  id: 1, vehicle_id: 1, vin: 'VIN1', started_at: '2026-06-01T18:00:00Z', ended_at: '2026-06-01T20:00:00Z',
  in_progress: false, duration_min: 120, start_battery_level: 52, end_battery_level: 90, energy_added_kwh: 28.46,
  max_power_kw: 11, avg_power_kw: 10.9, charger_kind: 'AC', charger_type: null, place: 'Home', cost: 8.54,
  currency: 'GBP', solar_percentage: 37.5,
};

describe('ChargingTable', () => {
  it('marks the times the host estimated between two readings', () => {
    renderWithProviders(
      <ChargingTable vehicles={vehicles} sessions={[
        { ...base, started_at_estimated: true, ended_at_estimated: true },
        { ...base, id: 2 },
      ]} />,
    );
    const rows = within(screen.getByTestId('charging-table')).getAllByRole('row');
    expect(rows[1].textContent).toContain('≈');
    expect(rows[1].textContent).toContain('(end estimated)');
    expect(rows[2].textContent).not.toContain('≈');
    expect(rows[2].textContent).not.toContain('estimated');
  });

  it('lists each session with energy, cost, AC/DC and solar share', () => {
    renderWithProviders(
      <ChargingTable vehicles={vehicles} sessions={[
        base,
        { ...base, id: 2, vehicle_id: 2, vin: 'VIN2', charger_kind: 'DC', charger_type: 'Supercharger', place: null,
          cost: null, solar_percentage: null, in_progress: true, ended_at: null, energy_added_kwh: 40 },
      ]} />,
    );
    const rows = within(screen.getByTestId('charging-table')).getAllByRole('row');
    expect(rows).toHaveLength(3);
    const first = rows[1].textContent ?? '';
    expect(first).toContain('Commuter');
    expect(first).toContain('Home');
    expect(first).toContain('AC');
    expect(first).toContain('28.5 kWh');
    expect(first).toContain('52 → 90 %');
    expect(first).toContain('£8.54');
    expect(first).toContain('38 %');
    const second = rows[2].textContent ?? '';
    expect(second).toContain('VIN2');
    expect(second).toContain('Supercharger');
    expect(second).toContain('DC');
    expect(second).toContain('now');
    expect(second).toContain('—');
  });
});

describe('monthTotals', () => {
  it('adds up vehicles per month and weights the solar share by energy', () => {
    const rows = monthTotals([
      { vehicle_id: 1, vin: 'A', month: '2026-06', sessions: 2, energy_kwh: 30, cost: 9, ac_kwh: 30, dc_kwh: 0,
        avg_power_kw: 11, solar_share_pct: 50 },
      { vehicle_id: 2, vin: 'B', month: '2026-06', sessions: 1, energy_kwh: 10, cost: null, ac_kwh: 0, dc_kwh: 10,
        avg_power_kw: 120, solar_share_pct: null },
      { vehicle_id: 1, vin: 'A', month: '2026-05', sessions: 1, energy_kwh: 20, cost: 6, ac_kwh: 20, dc_kwh: 0,
        avg_power_kw: 11, solar_share_pct: 10 },
    ]);
    expect(rows.map((r) => r.month)).toEqual(['2026-05', '2026-06']);
    expect(rows[1]).toMatchObject({ sessions: 3, kwh: 40, ac: 30, dc: 10, cost: 9, solarPct: 50 });
    expect(rows[0].solarPct).toBeCloseTo(10);
  });
});

describe('solar share', () => {
  it('shows a dash where the share does not apply: a Supercharger, or away from home', () => {
    expect(solarShare({ ...base, charger_kind: 'DC', place: null, solar_percentage: 0 })).toBe('—');
    expect(solarShare({ ...base, charger_kind: 'DC', place: 'Home', solar_percentage: 0 })).toBe('—');
    expect(solarShare({ ...base, charger_kind: 'AC', place: null, solar_percentage: 0 })).toBe('—');
    expect(solarShare({ ...base, charger_kind: 'AC', place: 'Home', solar_percentage: 0 })).toBe('0 %');
    expect(solarShare(base)).toBe('38 %');
  });
});
