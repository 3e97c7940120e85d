import { Link } from 'react-router-dom';

import type { Vehicle, VehicleState } from '../api/types';
import { dateTime, distance, power, temperature, useUnits } from '../units';
import { BatteryBar } from './ui';

export function stateLabel(v: Pick<Vehicle, 'state'>, s?: Pick<VehicleState, 'activity' | 'charging_state'>): string {
  if (s?.charging_state === 'Charging') return 'Charging';
  if (s?.activity === 'driving') return 'Driving';
  switch (v.state) {
    case 'online':
      return s?.activity === 'user_present' ? 'Someone inside' : 'Online';
    case 'asleep':
      return 'Asleep';
    case 'offline':
      return 'Offline';
    default:
      return 'Unknown';
  }
}

// The one word for where the car is, on every page: the place's name, "Away" when the car is elsewhere, "—" when
// its position is not known.
export const AWAY = 'Away';

// A stored place name (a drive's start or end, a charging session's place), or AWAY when it was at no named place.
export function placeName(name: string | null | undefined): string {
  return name || AWAY;
}

export function placeLabel(s?: Pick<VehicleState, 'place' | 'latitude'> | null): string {
  if (s?.place) return s.place;
  return s?.latitude != null ? AWAY : '—';
}

// Values older than this are labelled "as of <time>" (the host's clock): a parked car is polled every few minutes.
export const STALE_AFTER_MS = 5 * 60_000;

// When the values of `s` were read, if that is longer ago than STALE_AFTER_MS by `now` (the host's clock, ms).
export function staleSince(s: Pick<VehicleState, 'timestamp'> | undefined, now: number | null | undefined): string | null {
  if (!s?.timestamp || now == null) return null;
  const at = Date.parse(s.timestamp);
  if (Number.isNaN(at) || now - at <= STALE_AFTER_MS) return null;
  return s.timestamp;
}

const MODELS: Record<string, string> = { model3: 'Model 3', modely: 'Model Y', models: 'Model S', modelx: 'Model X' };

export function VehicleCard({ vehicle, state, now, onWake, onSync, busy }: {
  vehicle: Vehicle;
  state?: VehicleState;
  now?: number | null; // the host's clock (ms), for the "as of" label
  onWake?: () => void;
  onSync?: () => void;
  busy?: boolean;
}) {
  const { units } = useUnits();
  const label = stateLabel(vehicle, state);
  const charging = state?.charging_state === 'Charging';
  const stale = staleSince(state, now);
  // Found asleep and never read: nothing to show but how to get the first reading.
  const noData = !state || (state.battery_level == null && state.timestamp == null);
  const model = MODELS[vehicle.model] ?? vehicle.model;
  return (
    <article className="card vehicle-card" data-testid="vehicle-card" aria-label={vehicle.display_name || vehicle.vin}>
      <header className="card-header">
        <div>
          <h2>
            <Link to={`/vehicles/${vehicle.id}`}>{vehicle.display_name || vehicle.vin}</Link>
          </h2>
          <div className="muted small">{[model, vehicle.vin].filter(Boolean).join(' · ')}</div>
        </div>
        <span className={`badge badge-${label.toLowerCase().replace(/\s+/g, '-')}`}>{label}</span>
      </header>
      {noData && vehicle.state === 'asleep' ? (
        <p className="muted" data-testid="no-data">Asleep — no data yet; Wake reads it once.</p>
      ) : (
        <>
          <div className="vehicle-battery">
            <span className="big" data-testid="battery-level">
              {state?.battery_level != null ? `${state.battery_level} %` : '—'}
            </span>
            <span className="muted">{distance(state?.battery_range_km, units.distance)} range</span>
          </div>
          {stale && (
            <div className="as-of small" data-testid="as-of" title="These values were read then; the car has not been read since.">
              as of {dateTime(stale)}
            </div>
          )}
          <BatteryBar level={state?.battery_level ?? null} limit={state?.charge_limit_soc} charging={charging} />
          <dl className="facts">
            <div>
              <dt>Charging</dt>
              <dd>
                {charging
                  ? `${power((state?.charger_power_kw ?? 0) * 1000)} · +${(state?.charge_energy_added_kwh ?? 0).toFixed(1)} kWh`
                  : state?.charging_state ?? '—'}
              </dd>
            </div>
            <div>
              <dt>Place</dt>
              <dd>{placeLabel(state)}</dd>
            </div>
            <div>
              <dt>Odometer</dt>
              <dd>{distance(state?.odometer_km, units.distance)}</dd>
            </div>
            <div>
              <dt>Outside</dt>
              <dd>{temperature(state?.outside_temp_c, units.temperature)}</dd>
            </div>
          </dl>
        </>
      )}
      {(onWake || onSync) && (
        <footer className="card-footer">
          {onWake && (
            <button type="button" className="btn" onClick={onWake} disabled={busy}>
              Wake
            </button>
          )}
          {onSync && (
            <button type="button" className="btn" onClick={onSync} disabled={busy}>
              Sync now
            </button>
          )}
        </footer>
      )}
    </article>
  );
}
