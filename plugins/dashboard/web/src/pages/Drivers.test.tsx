import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { mockApi, renderWithProviders } from '../test/render';
import { Drivers } from './Drivers';

const drive = {
  id: 7, vehicle_id: 11, vin: 'VIN11', display_name: 'Commuter', start_time: '2026-06-01T07:00:00Z',
  end_time: '2026-06-01T07:30:00Z', start_place: 'Home', end_place: 'Work', distance_km: 20, duration_s: 1800,
  energy_used_kwh: 3, efficiency_wh_per_km: 150, driver_id: null, driver_name: null, attribution: 'none',
};

describe('Drivers page', () => {
  it('lists drivers with statistics, adds one and reassigns a drive', async () => {
    const calls = mockApi({
      'GET /api/dashboard/config': [200, { refresh_interval_s: 30 }],
      'GET /api/vehicles': [200, { items: [{ id: 11, vin: 'VIN11', display_name: 'Commuter', model: 'model3', state: 'asleep' }], total: 1 }],
      'GET /api/drivers': [200, { items: [{ id: 1, name: 'Sam', profile_id: null, default_for_vehicles: [11], rules: [] }] }],
      'GET /api/drivers/1/stats': [200, { driver_id: 1, name: 'Sam', drives: 4, distance_km: 80.4, duration_s: 7200,
        energy_kwh: 12, efficiency_wh_per_km: 149, charging_cost_share: 3.2, currency: 'EUR' }],
      'GET /api/drives': [200, { items: [drive], total: 1 }],
      'POST /api/drivers': [201, { id: 2, name: 'Alex', default_for_vehicles: [], rules: [] }],
      'PUT /api/drives/7': [200, { ...drive, driver_id: 1, driver_name: 'Sam', attribution: 'manual' }],
    });
    renderWithProviders(<Drivers />);
    const list = await screen.findByTestId('drivers-list');
    expect(within(list).getByText('Sam')).toBeTruthy();
    expect(within(list).getByText('Default for Commuter · no rules')).toBeTruthy();
    await waitFor(() => expect(within(list).getByText('80 km')).toBeTruthy());
    expect(within(list).getByText('€3.20')).toBeTruthy();

    const form = screen.getByRole('form', { name: 'Add driver' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: '  Alex ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add driver' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/api/drivers')).toBe(true));
    const post = calls.find((c) => c.method === 'POST' && c.path === '/api/drivers');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ name: 'Alex', default_for_vehicles: [], rules: [] });

    const select = await screen.findByLabelText(/Driver of the drive on/);
    fireEvent.change(select, { target: { value: '1' } });
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT' && c.path === '/api/drives/7')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT' && c.path === '/api/drives/7');
    expect(JSON.parse(put?.body ?? '{}')).toEqual({ driver_id: 1 });
  });

  it('refuses a duplicate name, edits rules and deletes a driver with their drives going to another', async () => {
    const calls = mockApi({
      'GET /api/dashboard/config': [200, { refresh_interval_s: 30 }],
      'GET /api/vehicles': [200, { items: [{ id: 11, vin: 'VIN11', display_name: 'Commuter', model: 'model3', state: 'asleep' }], total: 1 }],
      'GET /api/drivers': [200, { items: [
        { id: 1, name: 'Sam', profile_id: null, default_for_vehicles: [11],
          rules: [{ weekdays: [1, 2, 3, 4, 5], from: '07:00', to: '09:00' }] },
        { id: 2, name: 'Alex', profile_id: null, default_for_vehicles: [], rules: [] },
      ] }],
      'GET /api/drivers/1/stats': [200, { driver_id: 1, name: 'Sam', drives: 4, distance_km: 80, duration_s: 7200,
        energy_kwh: 12, efficiency_wh_per_km: 149, charging_cost_share: null, currency: null }],
      'GET /api/drivers/2/stats': [200, { driver_id: 2, name: 'Alex', drives: 0, distance_km: 0, duration_s: 0,
        energy_kwh: 0, efficiency_wh_per_km: null, charging_cost_share: null, currency: null }],
      'GET /api/drives': [200, { items: [drive], total: 1 }],
      'PUT /api/drivers/1': [200, { id: 1, name: 'Sam', default_for_vehicles: [11], rules: [] }],
      'DELETE /api/drivers/2': [200, { deleted: 2, drives: 3, reassigned_to: 1, reattributed_drives: 0 }],
    });
    renderWithProviders(<Drivers />);
    const list = await screen.findByTestId('drivers-list');

    // A second " alex " is refused before it reaches the host, in words.
    const form = screen.getByRole('form', { name: 'Add driver' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: ' alex ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add driver' }));
    await within(form).findByText(/A driver named Alex exists already/);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    // Sam's rules: the weekday window is shown; add a place rule for the Commuter and save.
    const sam = within(list).getAllByTestId('driver')[0];
    fireEvent.click(within(sam).getByRole('button', { name: 'Edit' }));
    const edit = within(sam).getByRole('form', { name: 'Save driver' });
    expect((within(edit).getByLabelText('From (rule 1)') as HTMLInputElement).value).toBe('07:00');
    fireEvent.click(within(edit).getByRole('button', { name: '+ Place rule' }));
    fireEvent.change(within(edit).getByLabelText('Start place (rule 2)'), { target: { value: ' Work ' } });
    fireEvent.change(within(edit).getByLabelText('Vehicle of rule 2'), { target: { value: '11' } });
    fireEvent.click(within(edit).getByRole('button', { name: 'Save driver' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT' && c.path === '/api/drivers/1')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT' && c.path === '/api/drivers/1');
    expect(JSON.parse(put?.body ?? '{}').rules).toEqual([
      { weekdays: [1, 2, 3, 4, 5], from: '07:00', to: '09:00' },
      { start_place: 'Work', vehicle_id: 11 },
    ]);

    // Delete Alex; their drives go to Sam.
    const alex = within(list).getAllByTestId('driver')[1];
    fireEvent.click(within(alex).getByRole('button', { name: 'Delete' }));
    fireEvent.change(within(alex).getByLabelText('Their drives'), { target: { value: '1' } });
    fireEvent.click(within(alex).getByRole('button', { name: 'Delete driver' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe('/api/drivers/2?reassign_to=1');
  });
});
