import type { ChargingSession, Vehicle } from '../api/types';
import { dateTime, energy, money, percent } from '../units';
import { AWAY } from './VehicleCard';

// The solar share of a session, or "—" where it does not apply: a DC charge (a Supercharger, never the home's
// panels) or an AC charge at no named place (away from home; home is always a named place).
export function solarShare(s: Pick<ChargingSession, 'charger_kind' | 'place' | 'solar_percentage'>): string {
  if (s.charger_kind === 'DC' || !s.place) return '—';
  return percent(s.solar_percentage);
}

export function ChargingTable({ sessions, vehicles }: { sessions: ChargingSession[]; vehicles: Vehicle[] }) {
  const name = (id: number, vin: string) => vehicles.find((v) => v.id === id)?.display_name || vin;
  return (
    <div className="table-scroll">
      <table className="table stack" data-testid="charging-table">
        <thead>
          <tr>
            <th>Started</th>
            <th>Vehicle</th>
            <th>Place</th>
            <th>Type</th>
            <th className="num">Energy</th>
            <th className="num">Battery</th>
            <th className="num">Cost</th>
            <th className="num">Solar</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td data-label="Started">
                {s.started_at_estimated ? (
                  <span title="estimated: the charge began between two readings of the car">≈ {dateTime(s.started_at)}</span>
                ) : (
                  dateTime(s.started_at)
                )}
                {s.ended_at_estimated && !s.in_progress && (
                  <span className="muted small" title="estimated: the charge ended between two readings of the car">
                    {' '}(end estimated)
                  </span>
                )}
                {s.in_progress && <span className="badge badge-charging">now</span>}
              </td>
              <td data-label="Vehicle">{name(s.vehicle_id, s.vin)}</td>
              <td data-label="Place">{s.place || s.charger_type || AWAY}</td>
              <td data-label="Type">
                <span className={`pill pill-${s.charger_kind.toLowerCase()}`}>{s.charger_kind}</span>
              </td>
              <td className="num" data-label="Energy">{energy(s.energy_added_kwh)}</td>
              <td className="num" data-label="Battery">
                {s.start_battery_level ?? '—'} → {s.end_battery_level ?? '—'} %
              </td>
              <td className="num" data-label="Cost">{money(s.cost, s.currency)}</td>
              <td className="num" data-label="Solar">{solarShare(s)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
