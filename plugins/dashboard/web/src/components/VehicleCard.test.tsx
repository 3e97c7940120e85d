import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';

import type { Vehicle, VehicleState } from '../api/types';
import { renderWithProviders } from '../test/render';
import { placeLabel, placeName, VehicleCard } from './VehicleCard';

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

  it('says asleep and how to get data while there is none yet', () => {
    renderWithProviders(<VehicleCard vehicle={{ ...vehicle, state: 'asleep' }} />);
    expect(screen.getByText('Asleep')).toBeTruthy();
    expect(screen.getByTestId('no-data')).toBeTruthy();
    expect(screen.queryByTestId('battery-level')).toBeNull();
  });

  it('shows dashes for an awake car that has not been read yet', () => {
    renderWithProviders(<VehicleCard vehicle={vehicle} />);
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

  it('says "as of" when the values are older than a few minutes by the host\'s clock', () => {
    const now = Date.parse('2026-06-03T12:00:00Z');
    const old = { ...state, timestamp: '2026-06-01T09:30:00Z' };
    renderWithProviders(<VehicleCard vehicle={vehicle} state={old} now={now} />);
    expect(screen.getByTestId('as-of').textContent).toMatch(/^as of 1 Jun(,| at)? \d\d:30$/);
    expect(screen.getByTestId('battery-level').textContent).toBe('64 %');
  });

  it('says nothing about age for fresh values', () => {
    const now = Date.parse('2026-06-03T12:00:00Z');
    renderWithProviders(<VehicleCard vehicle={vehicle} state={{ ...state, timestamp: '2026-06-03T11:58:00Z' }} now={now} />);
    expect(screen.queryByTestId('as-of')).toBeNull();
  });

  it('tells how to get a first reading of a car found asleep, without a stray separator', () => {
    const nameless = { ...vehicle, state: 'asleep', model: '' };
    const empty = { vehicle_id: vehicle.id, state: 'asleep', timestamp: null, battery_level: null } as VehicleState;
    renderWithProviders(<VehicleCard vehicle={nameless} state={empty} now={Date.now()} />);
    expect(screen.getByTestId('no-data').textContent).toBe('Asleep — no data yet; Wake reads it once.');
    expect(screen.getByText('LRW3F7EK4NC000001').textContent).toBe('LRW3F7EK4NC000001');
    expect(screen.queryByText(/· LRW3F7EK4NC000001/)).toBeNull();
  });

  it('says Away for a car at no named place, as the vehicle page does', () => {
    expect(placeLabel({ place: null, latitude: 51.9 })).toBe('Away');
    expect(placeLabel({ place: 'Home', latitude: 51.5 })).toBe('Home');
    expect(placeLabel({ place: null, latitude: null })).toBe('—');
    expect(placeName(null)).toBe('Away');
    expect(placeName('Work')).toBe('Work');
  });
});
