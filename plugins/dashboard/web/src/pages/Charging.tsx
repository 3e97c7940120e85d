import { useMemo, useState } from 'react';

import { useChargingSessions, useChargingStats, useVehicles } from '../api/hooks';
import type { ChargingMonth } from '../api/types';
import { ChargingTable } from '../components/ChargingTable';
import { TimeChart } from '../components/TimeChart';
import { Card, QueryView, Segmented, Stat } from '../components/ui';
import { energy, money, percent } from '../units';

const PAGE = 25;

// Sums the per-vehicle rows of one month.
export function monthTotals(items: ChargingMonth[]) {
  const byMonth = new Map<string, { sessions: number; kwh: number; ac: number; dc: number; cost: number | null;
    solarKwh: number; solarBase: number }>();
  for (const r of items) {
    const m = byMonth.get(r.month) ?? { sessions: 0, kwh: 0, ac: 0, dc: 0, cost: null, solarKwh: 0, solarBase: 0 };
    m.sessions += r.sessions;
    m.kwh += r.energy_kwh;
    m.ac += r.ac_kwh;
    m.dc += r.dc_kwh;
    if (r.cost != null) m.cost = (m.cost ?? 0) + r.cost;
    if (r.solar_share_pct != null) {
      m.solarKwh += (r.solar_share_pct / 100) * r.energy_kwh;
      m.solarBase += r.energy_kwh;
    }
    byMonth.set(r.month, m);
  }
  return [...byMonth.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, m]) => ({ month, ...m, solarPct: m.solarBase > 0 ? (100 * m.solarKwh) / m.solarBase : null }));
}

export function Charging() {
  const vehicles = useVehicles();
  const [vehicle, setVehicle] = useState('');
  const [type, setType] = useState<'' | 'AC' | 'DC'>('');
  const [offset, setOffset] = useState(0);
  const sessions = useChargingSessions({ vehicle: vehicle || undefined, type: type || undefined, limit: PAGE, offset });
  const stats = useChargingStats(vehicle || undefined);
  const months = useMemo(() => monthTotals(stats.data?.items ?? []), [stats.data]);
  const chart = useMemo(
    () => ({
      times: months.map((m) => Date.parse(`${m.month}-01T00:00:00Z`) / 1000),
      labels: months.map((m) => `${m.month}-01`),
      series: [
        { label: 'AC', values: months.map((m) => m.ac), color: '#16a34a', unit: 'kWh' },
        { label: 'DC', values: months.map((m) => m.dc), color: '#f59e0b', unit: 'kWh' },
      ],
    }),
    [months],
  );
  const total = months.reduce(
    (t, m) => ({ kwh: t.kwh + m.kwh, sessions: t.sessions + m.sessions, cost: t.cost + (m.cost ?? 0) }),
    { kwh: 0, sessions: 0, cost: 0 },
  );
  const currency = stats.data?.currency ?? 'USD';
  return (
    <div className="page">
      <div className="page-header">
        <h1>Charging history</h1>
        <div className="filters">
          <select aria-label="Vehicle" value={vehicle} onChange={(e) => { setVehicle(e.target.value); setOffset(0); }}>
            <option value="">All vehicles</option>
            {vehicles.data?.items.map((v) => (
              <option key={v.id} value={String(v.id)}>{v.display_name || v.vin}</option>
            ))}
          </select>
          <Segmented label="Charger type" value={type} onChange={(t) => { setType(t); setOffset(0); }}
                     options={[{ value: '', label: 'All' }, { value: 'AC', label: 'AC' }, { value: 'DC', label: 'DC' }]} />
        </div>
      </div>
      <Card title="Per month">
        <QueryView query={stats} isEmpty={(d) => d.items.length === 0} empty="No charging sessions yet."
                   failed="The charging statistics could not be loaded.">
          {() => (
            <>
              <div className="stats-grid">
                <Stat label="Sessions" value={total.sessions} />
                <Stat label="Energy" value={energy(total.kwh)} />
                <Stat label="Cost" value={money(total.cost, currency)} />
              </div>
              <TimeChart times={chart.times} series={chart.series} bucket="month" labels={chart.labels} height={220}
                         yLabel="kWh" testId="charging-chart" />
              <div className="table-scroll">
                <table className="table stack" data-testid="charging-months">
                  <thead>
                    <tr>
                      <th>Month</th>
                      <th className="num">Sessions</th>
                      <th className="num">Energy</th>
                      <th className="num">AC</th>
                      <th className="num">DC</th>
                      <th className="num">Cost</th>
                      <th className="num">Solar</th>
                    </tr>
                  </thead>
                  <tbody>
                    {months.map((m) => (
                      <tr key={m.month}>
                        <td data-label="Month">{m.month}</td>
                        <td className="num" data-label="Sessions">{m.sessions}</td>
                        <td className="num" data-label="Energy">{energy(m.kwh)}</td>
                        <td className="num" data-label="AC">{energy(m.ac)}</td>
                        <td className="num" data-label="DC">{energy(m.dc)}</td>
                        <td className="num" data-label="Cost">{money(m.cost, currency)}</td>
                        <td className="num" data-label="Solar">{percent(m.solarPct)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </QueryView>
      </Card>
      <Card title="Sessions">
        <QueryView query={sessions} isEmpty={(d) => d.items.length === 0} empty="No sessions match.">
          {(d) => (
            <>
              <ChargingTable sessions={d.items} vehicles={vehicles.data?.items ?? []} />
              <div className="pager">
                <button type="button" className="btn" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  Newer
                </button>
                <span className="muted">
                  {d.total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, d.total)} of {d.total}
                </span>
                <button type="button" className="btn" disabled={offset + PAGE >= d.total} onClick={() => setOffset(offset + PAGE)}>
                  Older
                </button>
              </div>
            </>
          )}
        </QueryView>
      </Card>
    </div>
  );
}
