import { useState, type FormEvent } from 'react';

import { useApiMutation, useDriverStats, useDrivers, useDrives, useVehicles } from '../api/hooks';
import type { Driver, Vehicle } from '../api/types';
import { Card, ErrorBox, QueryView } from '../components/ui';
import { dateTime, distance, duration, efficiency, energy, money, useUnits } from '../units';

interface DriverInput {
  name: string;
  profile_id?: string | null;
  default_for_vehicles: number[];
  rules: unknown[];
}

function DriverForm({ initial, vehicles, onSubmit, onCancel, busy, error, submitLabel }: {
  initial: DriverInput;
  vehicles: Vehicle[];
  onSubmit: (d: DriverInput) => void;
  onCancel?: () => void;
  busy: boolean;
  error: unknown;
  submitLabel: string;
}) {
  const [name, setName] = useState(initial.name);
  const [defaults, setDefaults] = useState<number[]>(initial.default_for_vehicles);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({ ...initial, name: name.trim(), default_for_vehicles: defaults });
  }
  return (
    <form className="driver-form" onSubmit={submit} aria-label={submitLabel}>
      <label className="field">
        <span>Name</span>
        <input name="driver-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
      </label>
      {vehicles.length > 0 && (
        <fieldset className="field">
          <legend>Default driver of</legend>
          {vehicles.map((v) => (
            <label key={v.id} className="check">
              <input
                type="checkbox"
                checked={defaults.includes(v.id)}
                onChange={(e) => setDefaults(e.target.checked ? [...defaults, v.id] : defaults.filter((x) => x !== v.id))}
              />
              {v.display_name || v.vin}
            </label>
          ))}
        </fieldset>
      )}
      {error ? <ErrorBox error={error} /> : null}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>{submitLabel}</button>
        {onCancel && <button type="button" className="btn" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}

function DriverRow({ driver, vehicles }: { driver: Driver; vehicles: Vehicle[] }) {
  const stats = useDriverStats(driver.id);
  const { units } = useUnits();
  const [editing, setEditing] = useState(false);
  const save = useApiMutation<DriverInput>('PUT', () => `/api/drivers/${driver.id}`, ['drivers', 'driver-stats', 'drives'],
    (d) => d);
  const names = driver.default_for_vehicles
    .map((id) => vehicles.find((v) => v.id === id)?.display_name ?? String(id))
    .join(', ');
  return (
    <li className="driver" data-testid="driver">
      {editing ? (
        <DriverForm
          initial={{ name: driver.name, profile_id: driver.profile_id, default_for_vehicles: driver.default_for_vehicles,
                     rules: driver.rules }}
          vehicles={vehicles}
          busy={save.isPending}
          error={save.error}
          submitLabel="Save driver"
          onCancel={() => setEditing(false)}
          onSubmit={(d) => save.mutate(d, { onSuccess: () => setEditing(false) })}
        />
      ) : (
        <>
          <div className="driver-head">
            <div>
              <strong className="driver-name">{driver.name}</strong>
              <div className="muted small">{names ? `Default for ${names}` : 'No default vehicle'}</div>
            </div>
            <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>Edit</button>
          </div>
          {stats.data ? (
            <dl className="facts">
              <div><dt>Drives</dt><dd>{stats.data.drives}</dd></div>
              <div><dt>Distance</dt><dd>{distance(stats.data.distance_km, units.distance)}</dd></div>
              <div><dt>Time</dt><dd>{duration(stats.data.duration_s)}</dd></div>
              <div><dt>Energy</dt><dd>{energy(stats.data.energy_kwh)}</dd></div>
              <div><dt>Efficiency</dt><dd>{efficiency(stats.data.efficiency_wh_per_km, units.distance)}</dd></div>
              <div><dt>Charging share</dt><dd>{money(stats.data.charging_cost_share, stats.data.currency)}</dd></div>
            </dl>
          ) : stats.isError ? <ErrorBox error={stats.error} /> : <div className="muted small">Loading statistics…</div>}
        </>
      )}
    </li>
  );
}

function ReassignDrives({ drivers }: { drivers: Driver[] }) {
  const drives = useDrives({ limit: 15 });
  const { units } = useUnits();
  const assign = useApiMutation<{ id: number; driver: string }>('PUT', (x) => `/api/drives/${x.id}`,
    ['drives', 'driver-stats'], (x) => (x.driver === 'auto' ? { automatic: true } : { driver_id: x.driver === '' ? null : Number(x.driver) }));
  return (
    <Card title="Recent drives">
      {assign.isError && <ErrorBox error={assign.error} />}
      <QueryView query={drives} isEmpty={(d) => d.items.length === 0} empty="No drives recorded yet.">
        {(d) => (
          <div className="table-scroll">
            <table className="table" data-testid="reassign-table">
              <thead>
                <tr>
                  <th>Start</th>
                  <th>Vehicle</th>
                  <th>Route</th>
                  <th className="num">Distance</th>
                  <th>Driver</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((x) => (
                  <tr key={x.id}>
                    <td>{dateTime(x.start_time)}</td>
                    <td>{x.display_name || x.vin}</td>
                    <td>{x.start_place || '—'} → {x.end_place || '—'}</td>
                    <td className="num">{distance(x.distance_km, units.distance, 1)}</td>
                    <td>
                      <select
                        aria-label={`Driver of the drive on ${dateTime(x.start_time)}`}
                        value={x.driver_id == null ? '' : String(x.driver_id)}
                        onChange={(e) => assign.mutate({ id: x.id, driver: e.target.value })}
                      >
                        <option value="">Nobody</option>
                        {drivers.map((dr) => <option key={dr.id} value={String(dr.id)}>{dr.name}</option>)}
                        <option value="auto">Automatic (rules)</option>
                      </select>
                      {x.attribution === 'manual' && <span className="muted small"> by hand</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </Card>
  );
}

export function Drivers() {
  const drivers = useDrivers();
  const vehicles = useVehicles();
  const [formKey, setFormKey] = useState(0);
  const add = useApiMutation<DriverInput>('POST', () => '/api/drivers', ['drivers', 'drives', 'driver-stats'], (d) => d);
  const vehicleList = vehicles.data?.items ?? [];
  return (
    <div className="page">
      <div className="page-header">
        <h1>Drivers</h1>
      </div>
      <div className="grid two">
        <Card title="Drivers">
          <QueryView query={drivers} isEmpty={(d) => d.items.length === 0} empty="No drivers yet. Add the first one.">
            {(d) => (
              <ul className="drivers" data-testid="drivers-list">
                {d.items.map((x) => <DriverRow key={x.id} driver={x} vehicles={vehicleList} />)}
              </ul>
            )}
          </QueryView>
        </Card>
        <Card title="Add a driver">
          <DriverForm
            key={formKey}
            initial={{ name: '', default_for_vehicles: [], rules: [] }}
            vehicles={vehicleList}
            busy={add.isPending}
            error={add.error}
            submitLabel="Add driver"
            onSubmit={(d) => add.mutate(d, { onSuccess: () => setFormKey((k) => k + 1) })}
          />
        </Card>
      </div>
      <ReassignDrives drivers={drivers.data?.items ?? []} />
    </div>
  );
}
