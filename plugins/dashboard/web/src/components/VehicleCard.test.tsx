import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';

import type { Vehicle, VehicleState } from '../api/types';
import { renderWithProviders } from '../test/render';
import { VehicleCard } from './VehicleCard';

const vehicle: Vehicle = {
  id: 1492932717794313, vin: 'LRW3F7EK4NC000001', display_name: 'Commuter', model: 'model3', state: 'online',
  last_seen: null, last_data: null,
};
const state = {
  vehicle_id: 1492932717794313, state: 'online', activity: 'charging', battery_level: 64, battery_range_km: 321.9,
  charging_state: 'Charging', charge_limit_soc: 90, charger_power_kw: 11, charge_energy_added_kwh: 7.25,
  odometer_km: 20040, outside_temp_c: 18, place: 'Home', latitude: 51.5, longitude: -0.12,
} as VehicleState;

describe('VehicleCard', () => {
  it('shows the battery, range, charging and place of the car', () => {
    renderWithProviders(<VehicleCard vehicle={vehicle} state={state} />);
    expect(screen.getByRole('link', { name: 'Commuter' })).toHaveProperty('href', expect.stringContaining('/vehicles/1492932717794313'));
    expect(screen.getByText('Model 3 · LRW3F7EK4NC000001')).toBeTruthy();
    expect(screen.getByTestId('battery-level').textContent).toBe('64 %');
    expect(screen.getByText('322 km range')).toBeTruthy();
    expect(screen.getByText('Charging', { selector: '.badge' })).toBeTruthy();
    expect(screen.getByText('11.0 kW · +7.3 kWh')).toBeTruthy();
    expect(screen.getByText('Home')).toBeTruthy();
    expect(screen.getByText('18.0 °C')).toBeTruthy();
  });

  it('uses miles and °F when those units are chosen', () => {
    renderWithProviders(<VehicleCard vehicle={vehicle} state={state} />, { units: { distance: 'mi', temperature: 'F' } });
    expect(screen.getByText('200 mi range')).toBeTruthy();
    expect(screen.getByText('64 °F')).toBeTruthy();
    expect(screen.getByText('12,452 mi')).toBeTruthy();
  });

  it('says asleep and shows dashes while there is no data yet', () => {
    renderWithProviders(<VehicleCard vehicle={{ ...vehicle, state: 'asleep' }} />);
    expect(screen.getByText('Asleep')).toBeTruthy();
    expect(screen.getByTestId('battery-level').textContent).toBe('—');
  });

  it('calls Wake and Sync now', () => {
    const wake = vi.fn();
    const sync = vi.fn();
    renderWithProviders(<VehicleCard vehicle={vehicle} state={state} onWake={wake} onSync={sync} />);
    fireEvent.click(screen.getByRole('button', { name: 'Wake' }));
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    expect(wake).toHaveBeenCalledOnce();
    expect(sync).toHaveBeenCalledOnce();
  });
});
