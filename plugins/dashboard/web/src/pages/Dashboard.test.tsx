import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';

import { getToken, setToken } from '../api/client';
import { mockApi, renderWithProviders } from '../test/render';
import { Dashboard } from './Dashboard';

const vehicles = {
  items: [
    { id: 11, vin: 'VIN11', display_name: 'Commuter', model: 'model3', state: 'online', last_seen: null, last_data: null },
    { id: 12, vin: 'VIN12', display_name: 'Tripper', model: 'modely', state: 'asleep', last_seen: null, last_data: null },
  ],
  total: 2,
};
const state = (level: number) => ({ vehicle_id: 11, state: 'online', battery_level: level, battery_range_km: 300,
  charging_state: 'Disconnected', odometer_km: 1000 });

describe('Dashboard page', () => {
  it('shows every car from the API, the site and today, with the login token', async () => {
    setToken('tok');
    const calls = mockApi({
      'GET /api/dashboard/config': [200, { refresh_interval_s: 30, distance_unit: 'km', temperature_unit: 'C' }],
      'GET /api/vehicles': [200, vehicles],
      'GET /api/vehicles/11/state': [200, state(81)],
      'GET /api/vehicles/12/state': [200, { ...state(42), vehicle_id: 12 }],
      'GET /api/energy/sites': [200, { items: [{ energy_site_id: 5, site_name: 'Test Home', has_solar: true,
        has_battery: true, has_grid: true, wall_connector_count: 1 }], total: 1 }],
      'GET /api/energy/sites/5/live': [200, { energy_site_id: 5, solar_power_w: 4000, load_power_w: 900,
        battery_power_w: 0, grid_power_w: -3100, wall_connector_power_w: 0, battery_percentage: 80, timestamp: null }],
      'GET /api/energy/solar/stats': [200, { produced_kwh: 21.4, consumed_kwh: 9.8, self_powered_pct: 88.2,
        imported_kwh: 1.2, exported_kwh: 12.1, money_saved: 3.1, currency: 'GBP' }],
      'POST /api/vehicles/11/wake': [202, { state: 'online', message: 'wake-up sent' }],
      'POST /api/sync/trigger': [202, { triggered: 4 }],
    });
    renderWithProviders(<Dashboard />);
    expect(screen.getAllByRole('status').length).toBeGreaterThan(0); // loading first
    expect(await screen.findByRole('link', { name: 'Commuter' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Tripper' })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('battery-level').map((e) => e.textContent)).toEqual(['81 %', '42 %']));
    expect((await screen.findByTestId('flow-solar')).textContent).toBe('4.0 kW');
    expect((await screen.findByTestId('today')).textContent).toContain('88 %');
    expect(calls.every((c) => c.auth === 'Bearer tok')).toBe(true);

    fireEvent.click(screen.getAllByRole('button', { name: 'Wake' })[0]);
    expect((await screen.findByText(/Commuter: wake-up sent/)).textContent).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sync all now' }));
    expect(await screen.findByText('Sync started (4 jobs)')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/vehicles/11/wake')).toBe(true);
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/sync/trigger')).toBe(true);
  });

  it('shows an error with a retry, and a 401 logs out', async () => {
    setToken('expired');
    mockApi({ 'GET /api/vehicles': [401, { error: 'unauthorized', message: 'the login token is invalid or expired' }] });
    renderWithProviders(<Dashboard />);
    expect((await screen.findAllByRole('alert'))[0].textContent).toContain('the login token is invalid or expired');
    expect(screen.getAllByRole('button', { name: 'Retry' }).length).toBeGreaterThan(0);
    expect(getToken()).toBeNull();
  });
});
