import type { ChargingSession, Vehicle } from '../api/types';
import { dateTime, energy, money, percent } from '../units';

export function ChargingTable({ sessions, vehicles }: { sessions: ChargingSession[]; vehicles: Vehicle[] }) {
  const name = (id: number, vin: string) => vehicles.find((v) => v.id === id)?.display_name || vin;
  return (
    <div className="table-scroll">
      <table className="table" data-testid="charging-table">
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
              <td>
                {dateTime(s.started_at)}
                {s.in_progress && <span className="badge badge-charging">now</span>}
              </td>
              <td>{name(s.vehicle_id, s.vin)}</td>
              <td>{s.place || s.charger_type || '—'}</td>
              <td>
                <span className={`pill pill-${s.charger_kind.toLowerCase()}`}>{s.charger_kind}</span>
              </td>
              <td className="num">{energy(s.energy_added_kwh)}</td>
              <td className="num">
                {s.start_battery_level ?? '—'} → {s.end_battery_level ?? '—'} %
              </td>
              <td className="num">{money(s.cost, s.currency)}</td>
              <td className="num">{percent(s.solar_percentage)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
