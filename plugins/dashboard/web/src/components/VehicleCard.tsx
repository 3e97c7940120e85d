import { Link } from 'react-router-dom';

import type { Vehicle, VehicleState } from '../api/types';
import { distance, power, temperature, useUnits } from '../units';
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

const MODELS: Record<string, string> = { model3: 'Model 3', modely: 'Model Y', models: 'Model S', modelx: 'Model X' };

export function VehicleCard({ vehicle, state, onWake, onSync, busy }: {
  vehicle: Vehicle;
  state?: VehicleState;
  onWake?: () => void;
  onSync?: () => void;
  busy?: boolean;
}) {
  const { units } = useUnits();
  const label = stateLabel(vehicle, state);
  const charging = state?.charging_state === 'Charging';
  return (
    <article className="card vehicle-card" data-testid="vehicle-card" aria-label={vehicle.display_name || vehicle.vin}>
      <header className="card-header">
        <div>
          <h2>
            <Link to={`/vehicles/${vehicle.id}`}>{vehicle.display_name || vehicle.vin}</Link>
          </h2>
          <div className="muted small">
            {MODELS[vehicle.model] ?? vehicle.model} · {vehicle.vin}
          </div>
        </div>
        <span className={`badge badge-${label.toLowerCase().replace(/\s+/g, '-')}`}>{label}</span>
      </header>
      <div className="vehicle-battery">
        <span className="big" data-testid="battery-level">
          {state?.battery_level != null ? `${state.battery_level} %` : '—'}
        </span>
        <span className="muted">{distance(state?.battery_range_km, units.distance)} range</span>
      </div>
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
          <dd>{state?.place || (state?.latitude != null ? 'Away' : '—')}</dd>
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
