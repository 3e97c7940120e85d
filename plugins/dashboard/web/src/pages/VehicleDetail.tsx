import { useMemo, useState } from 'react';
import { useQueries } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';

import { api } from '../api/client';
import { useDrives, useDriveTrail, useHostClock, useVehicle, useVehicleHistory, useVehicleState } from '../api/hooks';
import type { Drive, DriveWithPath, VehicleState } from '../api/types';
import { DriveMap, type MapPath } from '../components/DriveMap';
import { TimeChart, toEpochSeconds } from '../components/TimeChart';
import { placeLabel, placeName, stateLabel } from '../components/VehicleCard';
import { BatteryBar, Card, QueryView, Segmented, Stat } from '../components/ui';
import { dateTime, distance, duration, efficiency, energy, power, speed, temperature, useUnits } from '../units';

type Range = '24h' | '7d' | '30d';
const RANGES: Record<Range, { hours: number; resolution: string }> = {
  '24h': { hours: 24, resolution: '5m' },
  '7d': { hours: 24 * 7, resolution: '1h' },
  '30d': { hours: 24 * 30, resolution: '1h' },
};

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function BatteryChart({ id }: { id: string }) {
  const [range, setRange] = useState<Range>('7d');
  // The last 24 h / 7 / 30 days by the host's clock (the simulator's in the demo), never the browser's.
  const clock = useHostClock();
  const from = useMemo(() => {
    const now = clock.now();
    return now === null ? '' : isoSeconds(now - RANGES[range].hours * 3600_000);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [range, clock.ready]);
  const history = useVehicleHistory(id, from, RANGES[range].resolution, 'battery_level,battery_range_km');
  const { units } = useUnits();
  const chart = useMemo(() => {
    const items = history.data?.items ?? [];
    const factor = units.distance === 'mi' ? 1 / 1.609344 : 1;
    return {
      times: items.map((p) => toEpochSeconds(p.time)),
      // % on the left (0..100), range on the right: on one axis the % line would hug the bottom.
      scales: [
        { key: 'pct', label: 'Battery %', range: [0, 100] as [number, number] },
        { key: 'range', label: `Range (${units.distance})` },
      ],
      series: [
        { label: 'Battery', values: items.map((p) => p.battery_level as number | null), color: '#16a34a', unit: '%',
          fill: true, scale: 'pct' },
        {
          label: `Range (${units.distance})`,
          values: items.map((p) => (p.battery_range_km == null ? null : (p.battery_range_km as number) * factor)),
          color: '#2563eb',
          unit: units.distance,
          scale: 'range',
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
      <QueryView query={history} isEmpty={(d) => d.items.length === 0} empty="No samples in this period."
                 failed="The battery history could not be loaded. Try again in a moment.">
        {() => <TimeChart times={chart.times} series={chart.series} scales={chart.scales} testId="battery-chart" />}
      </QueryView>
    </Card>
  );
}

// Whether the car is on the road now (the drive under way is not yet among the finished drives).
export function isDriving(s: VehicleState | undefined): boolean {
  if (!s) return false;
  return s.activity === 'driving' || (s.shift_state != null && s.shift_state !== 'P') || (s.speed_kmh ?? 0) > 0;
}

function DrivesAndMap({ id, position, driving }: { id: string; position: [number, number] | null; driving: boolean }) {
  const drives = useDrives({ vehicle: id, limit: 10 }, true);
  const [selected, setSelected] = useState<number | null>(null);
  const items = drives.data?.items ?? [];
  // While driving, nothing is highlighted unless picked: the map follows the car.
  const current = selected ?? (driving ? null : items[0]?.id ?? null);
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
  // While driving: the samples since the last finished drive ended are the drive under way.
  const following = driving && selected === null;
  const trail = useDriveTrail(id, items[0]?.end_time ?? '', following);
  const paths = useMemo<MapPath[]>(
    () => {
      const finished: MapPath[] = loaded.map((d) => ({
        id: d.id,
        points: d.path.map((p) => [p.latitude, p.longitude] as [number, number]),
        highlighted: d.id === current,
      }));
      if (!following || !trail.data) return finished;
      const points = trail.data.items
        .filter((p) => typeof p.latitude === 'number' && typeof p.longitude === 'number')
        .map((p) => [p.latitude, p.longitude] as [number, number]);
      return [...finished, { id: 'current', points, highlighted: true }];
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pathKey, current, following, trail.data],
  );
  const label = (d: Drive) => `${placeName(d.start_place)} → ${placeName(d.end_place)}`;
  return (
    <>
      <Card title="Location">
        <DriveMap position={position} paths={paths} followCar={following} />
        {following && (
          <p className="muted small">Driving now: the map shows this drive so far and follows the car. The drive is
            listed below when it ends.</p>
        )}
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
              <table className="table stack" data-testid="drives-table">
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
                      <td data-label="Start">
                        <button type="button" className="link" onClick={() => setSelected(x.id)}>
                          {dateTime(x.start_time)}
                        </button>
                      </td>
                      <td data-label="Route">{label(x)}</td>
                      <td className="num" data-label="Distance">{distance(x.distance_km, units.distance, 1)}</td>
                      <td className="num" data-label="Duration">{duration(x.duration_s)}</td>
                      <td className="num" data-label="Energy">{energy(x.energy_used_kwh)}</td>
                      <td className="num" data-label="Efficiency">{efficiency(x.efficiency_wh_per_km, units.distance)}</td>
                      <td className="num" data-label="Max speed">{speed(x.max_speed_kmh, units.distance)}</td>
                      <td data-label="Driver">{x.driver_name ?? '—'}</td>
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
                      <Stat label="Place" value={placeLabel(st)} />
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
            <DrivesAndMap id={id} position={position} driving={isDriving(s)} />
            <BatteryChart id={id} />
          </>
        )}
      </QueryView>
    </div>
  );
}
