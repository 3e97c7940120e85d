import { useState, type FormEvent } from 'react';

import { useApiMutation, useDriverStats, useDrivers, useDrives, useVehicles } from '../api/hooks';
import type { Driver, Vehicle } from '../api/types';
import { Card, ErrorBox, QueryView } from '../components/ui';
import { placeName } from '../components/VehicleCard';
import { dateTime, distance, duration, efficiency, energy, money, useUnits } from '../units';

interface DriverInput {
  name: string;
  profile_id?: string | null;
  default_for_vehicles: number[];
  rules: unknown[];
}

// One attribution rule as the form edits it (GET /api/drivers gives rules as {weekdays, from, to, vehicle_id?}
// or {start_place, vehicle_id?}).
export type RuleDraft =
  | { kind: 'time'; weekdays: number[]; from: string; to: string; vehicle_id: number | null }
  | { kind: 'place'; start_place: string; vehicle_id: number | null };

export function toDrafts(rules: unknown[]): RuleDraft[] {
  return rules.map((r) => {
    const x = r as { weekdays?: number[]; from?: string; to?: string; start_place?: string; vehicle_id?: number | null };
    if (x.start_place !== undefined) return { kind: 'place', start_place: x.start_place, vehicle_id: x.vehicle_id ?? null };
    return { kind: 'time', weekdays: x.weekdays ?? [], from: x.from ?? '', to: x.to ?? '', vehicle_id: x.vehicle_id ?? null };
  });
}

export function fromDrafts(drafts: RuleDraft[]): unknown[] {
  return drafts.map((d) => {
    const vehicle = d.vehicle_id != null ? { vehicle_id: d.vehicle_id } : {};
    if (d.kind === 'place') return { start_place: d.start_place.trim(), ...vehicle };
    return { ...(d.weekdays.length > 0 ? { weekdays: [...d.weekdays].sort() } : {}), from: d.from.trim(), to: d.to.trim(), ...vehicle };
  });
}

// The same name as another driver's (the host refuses it too: names are compared trimmed and without case).
export function duplicateName(name: string, others: Driver[], self?: number): Driver | undefined {
  const key = name.trim().toLowerCase();
  return others.find((d) => d.id !== self && d.name.trim().toLowerCase() === key);
}

const WEEKDAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

function RulesEditor({ rules, onChange, vehicles }: {
  rules: RuleDraft[];
  onChange: (r: RuleDraft[]) => void;
  vehicles: Vehicle[];
}) {
  const set = (i: number, r: RuleDraft) => onChange(rules.map((x, j) => (j === i ? r : x)));
  const vehicleSelect = (i: number, r: RuleDraft) => (
    <select aria-label={`Vehicle of rule ${i + 1}`} value={r.vehicle_id == null ? '' : String(r.vehicle_id)}
            onChange={(e) => set(i, { ...r, vehicle_id: e.target.value === '' ? null : Number(e.target.value) })}>
      <option value="">any vehicle</option>
      {vehicles.map((v) => <option key={v.id} value={String(v.id)}>{v.display_name || v.vin}</option>)}
    </select>
  );
  return (
    <fieldset className="field rules" data-testid="rules-editor">
      <legend>Attribution rules</legend>
      <p className="muted small">
        A drive that no one assigned by hand goes to the driver whose rule matches its start: a time window (local
        time, optional weekdays) or the place it starts from. Without a match, the vehicle's default driver.
      </p>
      {rules.length === 0 && <p className="muted small">No rules.</p>}
      {rules.map((r, i) => (
        <div key={i} className="rule" data-testid="rule">
          {r.kind === 'time' ? (
            <>
              <span className="rule-kind">Time</span>
              <div className="weekdays" role="group" aria-label={`Weekdays of rule ${i + 1}`}>
                {WEEKDAYS.map((w, d) => (
                  <label key={w} className="check small">
                    <input type="checkbox" checked={r.weekdays.includes(d + 1)}
                           onChange={(e) => set(i, { ...r, weekdays: e.target.checked ? [...r.weekdays, d + 1]
                             : r.weekdays.filter((x) => x !== d + 1) })} />
                    {w}
                  </label>
                ))}
              </div>
              <input aria-label={`From (rule ${i + 1})`} placeholder="07:00" className="clock" maxLength={5} value={r.from}
                     onChange={(e) => set(i, { ...r, from: e.target.value })} />
              <span>to</span>
              <input aria-label={`To (rule ${i + 1})`} placeholder="09:00" className="clock" maxLength={5} value={r.to}
                     onChange={(e) => set(i, { ...r, to: e.target.value })} />
            </>
          ) : (
            <>
              <span className="rule-kind">Starts at</span>
              <input aria-label={`Start place (rule ${i + 1})`} placeholder="Work" value={r.start_place} maxLength={200}
                     onChange={(e) => set(i, { ...r, start_place: e.target.value })} />
            </>
          )}
          {vehicleSelect(i, r)}
          <button type="button" className="btn btn-small" aria-label={`Remove rule ${i + 1}`}
                  onClick={() => onChange(rules.filter((_x, j) => j !== i))}>Remove</button>
        </div>
      ))}
      <div className="row wrap">
        <button type="button" className="btn btn-small"
                onClick={() => onChange([...rules, { kind: 'time', weekdays: [], from: '', to: '', vehicle_id: null }])}>
          + Time rule
        </button>
        <button type="button" className="btn btn-small"
                onClick={() => onChange([...rules, { kind: 'place', start_place: '', vehicle_id: null }])}>
          + Place rule
        </button>
      </div>
    </fieldset>
  );
}

function DriverForm({ initial, vehicles, drivers, self, onSubmit, onCancel, busy, error, submitLabel }: {
  initial: DriverInput;
  vehicles: Vehicle[];
  drivers: Driver[];
  self?: number;
  onSubmit: (d: DriverInput) => void;
  onCancel?: () => void;
  busy: boolean;
  error: unknown;
  submitLabel: string;
}) {
  const [name, setName] = useState(initial.name);
  const [defaults, setDefaults] = useState<number[]>(initial.default_for_vehicles);
  const [rules, setRules] = useState<RuleDraft[]>(() => toDrafts(initial.rules));
  const [problem, setProblem] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    const twin = duplicateName(name, drivers, self);
    if (twin) {
      setProblem(`A driver named ${twin.name} exists already. Choose another name, or edit that driver.`);
      return;
    }
    setProblem(null);
    onSubmit({ ...initial, name: name.trim(), default_for_vehicles: defaults, rules: fromDrafts(rules) });
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
      <RulesEditor rules={rules} onChange={setRules} vehicles={vehicles} />
      {problem ? <ErrorBox error={problem} /> : error ? <ErrorBox error={error} /> : null}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>{submitLabel}</button>
        {onCancel && <button type="button" className="btn" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}

function DeleteDriver({ driver, drivers, onDone }: { driver: Driver; drivers: Driver[]; onDone: () => void }) {
  const [to, setTo] = useState('');
  const remove = useApiMutation<string>('DELETE', (t) => `/api/drivers/${driver.id}${t ? `?reassign_to=${t}` : ''}`,
    ['drivers', 'driver-stats', 'drives']);
  return (
    <div className="delete-driver" role="group" aria-label={`Delete ${driver.name}`}>
      <strong>Delete {driver.name}?</strong> Their rules and default vehicles go with them.
      <label className="field">
        <span>Their drives</span>
        <select aria-label="Their drives" value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">become unattributed (Nobody)</option>
          {drivers.filter((d) => d.id !== driver.id).map((d) => (
            <option key={d.id} value={String(d.id)}>go to {d.name}</option>
          ))}
        </select>
      </label>
      {remove.isError && <ErrorBox error={remove.error} />}
      <div className="row">
        <button type="button" className="btn btn-danger" disabled={remove.isPending}
                onClick={() => remove.mutate(to, { onSuccess: onDone })}>Delete driver</button>
        <button type="button" className="btn" onClick={onDone}>Cancel</button>
      </div>
    </div>
  );
}

function DriverRow({ driver, drivers, vehicles }: { driver: Driver; drivers: Driver[]; vehicles: Vehicle[] }) {
  const stats = useDriverStats(driver.id);
  const { units } = useUnits();
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view');
  const save = useApiMutation<DriverInput>('PUT', () => `/api/drivers/${driver.id}`, ['drivers', 'driver-stats', 'drives'],
    (d) => d);
  const names = driver.default_for_vehicles
    .map((id) => vehicles.find((v) => v.id === id)?.display_name ?? String(id))
    .join(', ');
  const rules = driver.rules.length;
  return (
    <li className="driver" data-testid="driver">
      {mode === 'edit' ? (
        <DriverForm
          initial={{ name: driver.name, profile_id: driver.profile_id, default_for_vehicles: driver.default_for_vehicles,
                     rules: driver.rules }}
          vehicles={vehicles}
          drivers={drivers}
          self={driver.id}
          busy={save.isPending}
          error={save.error}
          submitLabel="Save driver"
          onCancel={() => setMode('view')}
          onSubmit={(d) => save.mutate(d, { onSuccess: () => setMode('view') })}
        />
      ) : (
        <>
          <div className="driver-head">
            <div>
              <strong className="driver-name">{driver.name}</strong>
              <div className="muted small">
                {names ? `Default for ${names}` : 'No default vehicle'} · {rules === 0 ? 'no rules' : `${rules} rule${rules === 1 ? '' : 's'}`}
              </div>
            </div>
            <div className="row">
              <button type="button" className="btn btn-small" onClick={() => setMode('edit')}>Edit</button>
              <button type="button" className="btn btn-small btn-danger" onClick={() => setMode('delete')}>Delete</button>
            </div>
          </div>
          {mode === 'delete' && <DeleteDriver driver={driver} drivers={drivers} onDone={() => setMode('view')} />}
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
            <table className="table stack" data-testid="reassign-table">
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
                    <td data-label="Start">{dateTime(x.start_time)}</td>
                    <td data-label="Vehicle">{x.display_name || x.vin}</td>
                    <td data-label="Route">{placeName(x.start_place)} → {placeName(x.end_place)}</td>
                    <td className="num" data-label="Distance">{distance(x.distance_km, units.distance, 1)}</td>
                    <td data-label="Driver">
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
                {d.items.map((x) => <DriverRow key={x.id} driver={x} drivers={d.items} vehicles={vehicleList} />)}
              </ul>
            )}
          </QueryView>
        </Card>
        <Card title="Add a driver">
          <DriverForm
            key={formKey}
            initial={{ name: '', default_for_vehicles: [], rules: [] }}
            vehicles={vehicleList}
            drivers={drivers.data?.items ?? []}
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
