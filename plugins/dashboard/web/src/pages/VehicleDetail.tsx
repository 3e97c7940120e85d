import { useMemo, useState } from 'react';
import { useQueries } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';

import { api } from '../api/client';
import { useDrives, useVehicle, useVehicleHistory, useVehicleState } from '../api/hooks';
import type { Drive, DriveWithPath } from '../api/types';
import { DriveMap, type MapPath } from '../components/DriveMap';
import { TimeChart, toEpochSeconds } from '../components/TimeChart';
import { stateLabel } from '../components/VehicleCard';
import { BatteryBar, Card, QueryView, Segmented, Stat } from '../components/ui';
import { dateTime, distance, duration, efficiency, energy, power, speed, temperature, useUnits } from '../units';

type Range = '24h' | '7d' | '30d';
const RANGES: Record<Range, { hours: number; resolution: string }> = {
  '24h': { hours: 24, resolution: '5m' },
  '7d': { hours: 24 * 7, resolution: '1h' },
  '30d': { hours: 24 * 30, resolution: '1h' },
};

function BatteryChart({ id, lastData }: { id: string; lastData: string | null }) {
  const [range, setRange] = useState<Range>('7d');
  // Relative to the last stored sample, so an accelerated simulator's clock (or a long-parked car) still shows data.
  const from = useMemo(() => {
    const end = lastData ? Date.parse(lastData) : Date.now();
    return new Date(end - RANGES[range].hours * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  }, [range, lastData]);
  const history = useVehicleHistory(id, from, RANGES[range].resolution, 'battery_level,battery_range_km');
  const { units } = useUnits();
  const chart = useMemo(() => {
    const items = history.data?.items ?? [];
    const factor = units.distance === 'mi' ? 1 / 1.609344 : 1;
    return {
      times: items.map((p) => toEpochSeconds(p.time)),
      series: [
        { label: 'Battery', values: items.map((p) => p.battery_level as number | null), color: '#16a34a', unit: '%', fill: true },
        {
          label: `Range (${units.distance})`,
          values: items.map((p) => (p.battery_range_km == null ? null : (p.battery_range_km as number) * factor)),
          color: '#2563eb',
          unit: units.distance,
        },
      ],
    };
  }, [history.data, units.distance]);
  return (
    <Card
      title="Battery level"
      actions={
        <Segmented label="Period" value={range} onChange={setRange}
                   options={[{ value: '24h', label: '24 h' }, { value: '7d', label: '7 days' }, { value: '30d', label: '30 days' }]} />
      }
    >
      <QueryView query={history} isEmpty={(d) => d.items.length === 0} empty="No samples in this period.">
        {() => <TimeChart times={chart.times} series={chart.series} testId="battery-chart" />}
      </QueryView>
    </Card>
  );
}

function DrivesAndMap({ id, position }: { id: string; position: [number, number] | null }) {
  const drives = useDrives({ vehicle: id, limit: 10 });
  const [selected, setSelected] = useState<number | null>(null);
  const items = drives.data?.items ?? [];
  const current = selected ?? items[0]?.id ?? null;
  // Every recent drive with its path: the selected one highlighted, the others faded.
  const withPaths = useQueries({
    queries: items.map((d) => ({
      queryKey: ['drive', d.id],
      queryFn: () => api<DriveWithPath>(`/api/drives/${d.id}`),
      staleTime: Infinity,
    })),
  });
  const { units } = useUnits();
  const loaded = withPaths.map((q) => q.data).filter((d): d is DriveWithPath => d !== undefined);
  const drive = loaded.find((d) => d.id === current);
  const pathKey = loaded.map((d) => d.id).join(',');
  const paths = useMemo<MapPath[]>(
    () =>
      loaded.map((d) => ({
        id: d.id,
        points: d.path.map((p) => [p.latitude, p.longitude] as [number, number]),
        highlighted: d.id === current,
      })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pathKey, current],
  );
  const label = (d: Drive) => `${d.start_place || 'Somewhere'} → ${d.end_place || 'somewhere'}`;
  return (
    <>
      <Card title="Location">
        <DriveMap position={position} paths={paths} />
        {drive && (
          <p className="muted small">
            Highlighted: {label(drive)} on {dateTime(drive.start_time)} ({drive.path.length} points). Pick a drive
            below to highlight it.
          </p>
        )}
      </Card>
      <Card title="Recent drives">
        <QueryView query={drives} isEmpty={(d) => d.items.length === 0} empty="No drives recorded yet.">
          {(d) => (
            <div className="table-scroll">
              <table className="table" data-testid="drives-table">
                <thead>
                  <tr>
                    <th>Start</th>
                    <th>Route</th>
                    <th className="num">Distance</th>
                    <th className="num">Duration</th>
                    <th className="num">Energy</th>
                    <th className="num">Efficiency</th>
                    <th className="num">Max speed</th>
                    <th>Driver</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((x) => (
                    <tr key={x.id} className={x.id === current ? 'selected' : ''} onClick={() => setSelected(x.id)}>
                      <td>
                        <button type="button" className="link" onClick={() => setSelected(x.id)}>
                          {dateTime(x.start_time)}
                        </button>
                      </td>
                      <td>{label(x)}</td>
                      <td className="num">{distance(x.distance_km, units.distance, 1)}</td>
                      <td className="num">{duration(x.duration_s)}</td>
                      <td className="num">{energy(x.energy_used_kwh)}</td>
                      <td className="num">{efficiency(x.efficiency_wh_per_km, units.distance)}</td>
                      <td className="num">{speed(x.max_speed_kmh, units.distance)}</td>
                      <td>{x.driver_name ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryView>
      </Card>
    </>
  );
}

export function VehicleDetail() {
  const { id = '' } = useParams();
  const vehicle = useVehicle(id);
  const state = useVehicleState(id);
  const { units } = useUnits();
  const s = state.data;
  const position: [number, number] | null = s?.latitude != null && s?.longitude != null ? [s.latitude, s.longitude] : null;
  return (
    <div className="page">
      <div className="page-header">
        <h1>
          <Link to="/" className="muted back">←</Link> {vehicle.data?.display_name || vehicle.data?.vin || 'Vehicle'}
        </h1>
        {vehicle.data && <span className="muted">{vehicle.data.vin}</span>}
      </div>
      <QueryView query={vehicle}>
        {(v) => (
          <>
            <div className="grid two">
              <Card title="Status" actions={<span className="badge">{stateLabel(v, s)}</span>}>
                <QueryView query={state}>
                  {(st) => (
                    <div className="stats-grid" data-testid="vehicle-status">
                      <Stat label="Battery" value={st.battery_level != null ? `${st.battery_level} %` : '—'}
                            sub={`${distance(st.battery_range_km, units.distance)} range`} />
                      <Stat label="Odometer" value={distance(st.odometer_km, units.distance)} />
                      <Stat label="Inside" value={temperature(st.inside_temp_c, units.temperature)} />
                      <Stat label="Outside" value={temperature(st.outside_temp_c, units.temperature)} />
                      <Stat label="Place" value={st.place || '—'} />
                      <Stat label="Locked" value={st.locked == null ? '—' : st.locked ? 'Yes' : 'No'}
                            sub={st.sentry_mode ? 'Sentry on' : undefined} />
                      <Stat label="Speed" value={st.speed_kmh ? speed(st.speed_kmh, units.distance) : 'Parked'} />
                      <Stat label="Last data" value={dateTime(st.timestamp)} sub={st.car_version ?? undefined} />
                    </div>
                  )}
                </QueryView>
              </Card>
              <Card title="Charging">
                <QueryView query={state}>
                  {(st) => (
                    <>
                      <BatteryBar level={st.battery_level} limit={st.charge_limit_soc}
                                  charging={st.charging_state === 'Charging'} />
                      <div className="stats-grid" data-testid="charging-status">
                        <Stat label="State" value={st.charging_state ?? '—'} />
                        <Stat label="Limit" value={st.charge_limit_soc != null ? `${st.charge_limit_soc} %` : '—'} />
                        <Stat label="Power" value={power(st.charger_power_kw != null ? st.charger_power_kw * 1000 : null)} />
                        <Stat label="Added" value={energy(st.charge_energy_added_kwh)} />
                        <Stat label="Time to full"
                              value={st.time_to_full_h ? duration(st.time_to_full_h * 3600) : '—'} />
                      </div>
                    </>
                  )}
                </QueryView>
              </Card>
            </div>
            <DrivesAndMap id={id} position={position} />
            <BatteryChart id={id} lastData={v.last_data} />
          </>
        )}
      </QueryView>
    </div>
  );
}
