import { useMemo, useState } from 'react';

import { useEnergySites, useSiteHistory, useSolarStats } from '../api/hooks';
import type { EnergyBucket } from '../api/types';
import { SetupProgress } from '../components/SetupProgress';
import { TimeChart, toEpochSeconds, type Bucket } from '../components/TimeChart';
import { Card, QueryView, Segmented, Spinner, Stat } from '../components/ui';
import { energy, money, percent } from '../units';

type Period = 'day' | 'week' | 'month' | 'year';
// Day and week: lines of 5-minute and hourly energy; month and year: a bar per day and per month (the
// calendar's own buckets, as owners compare them).
const RESOLUTION: Record<Period, string> = { day: '5m', week: '1h', month: '1d', year: '1mo' };
const BUCKET: Record<Period, Bucket | undefined> = { day: undefined, week: undefined, month: 'day', year: 'month' };
const CHART_TITLE: Record<Period, string> = { day: 'Energy per 5 minutes', week: 'Energy per hour',
  month: 'Energy per day', year: 'Energy per month' };

// Moves a local date (YYYY-MM-DD) by one period.
export function shiftDate(date: string, period: Period, step: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  if (period === 'day') d.setUTCDate(d.getUTCDate() + step);
  else if (period === 'week') d.setUTCDate(d.getUTCDate() + 7 * step);
  else if (period === 'month') d.setUTCMonth(d.getUTCMonth() + step, 1);
  else d.setUTCFullYear(d.getUTCFullYear() + step, 0, 1);
  return d.toISOString().slice(0, 10);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];

export function periodLabel(date: string, period: Period): string {
  if (period === 'year') return date.slice(0, 4);
  if (period === 'month') return `${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
  if (period === 'week') return `Week of ${date}`;
  return date;
}

export function energySeries(items: EnergyBucket[]) {
  const kwh = (wh: number) => wh / 1000;
  return {
    times: items.map((b) => toEpochSeconds(b.time)),
    // The bucket's local date or month (the site's calendar), for bar labels.
    labels: items.map((b) => b.date ?? (b.month ? `${b.month}-01` : b.time)),
    series: [
      { label: 'Solar', values: items.map((b) => kwh(b.solar_produced_wh)), color: '#f59e0b', unit: 'kWh', fill: true },
      { label: 'Home', values: items.map((b) => kwh(b.home_consumed_wh)), color: '#2563eb', unit: 'kWh' },
      { label: 'Grid (+ import)', values: items.map((b) => kwh(b.grid_imported_wh - b.grid_exported_wh)), color: '#6b7280', unit: 'kWh' },
      { label: 'Powerwall (+ out)', values: items.map((b) => kwh(b.battery_discharged_wh - b.battery_charged_wh)), color: '#16a34a', unit: 'kWh' },
    ],
  };
}

function SiteEnergy({ siteId }: { siteId: number }) {
  const [period, setPeriod] = useState<Period>('day');
  const [date, setDate] = useState<string | undefined>(undefined);
  const stats = useSolarStats(siteId, period, date);
  const from = stats.data?.from ?? undefined;
  const to = stats.data?.to ?? undefined;
  const history = useSiteHistory(from && to ? siteId : undefined, RESOLUTION[period], from ?? '', to ?? '');
  const chart = useMemo(() => energySeries(history.data?.items ?? []), [history.data]);
  const shown = stats.data?.date ?? date;
  return (
    <>
      <div className="page-header">
        <Segmented label="Period" value={period} onChange={(p) => { setPeriod(p); setDate(shown); }}
                   options={[{ value: 'day', label: 'Day' }, { value: 'week', label: 'Week' },
                             { value: 'month', label: 'Month' }, { value: 'year', label: 'Year' }]} />
        <div className="filters">
          <button type="button" className="btn" disabled={!shown} aria-label="Previous period"
                  onClick={() => shown && setDate(shiftDate(shown, period, -1))}>‹</button>
          <span className="period-label" data-testid="period">{shown ? periodLabel(shown, period) : '…'}</span>
          <button type="button" className="btn" disabled={!shown} aria-label="Next period"
                  onClick={() => shown && setDate(shiftDate(shown, period, 1))}>›</button>
        </div>
      </div>
      <Card title="Totals">
        {stats.isPending ? (
          <Spinner />
        ) : stats.isError ? (
          <p className="muted">No energy data stored for this {period}.</p>
        ) : (
          <div className="stats-grid" data-testid="energy-totals">
            <Stat label="Self-powered" value={percent(stats.data.self_powered_pct)} sub="of home use not from the grid" />
            <Stat label="Solar produced" value={energy(stats.data.produced_kwh)} />
            <Stat label="Home used" value={energy(stats.data.consumed_kwh)} />
            <Stat label="Self-consumption" value={percent(stats.data.self_consumption_pct)} sub="of solar used here" />
            <Stat label="From grid" value={energy(stats.data.imported_kwh)} />
            <Stat label="To grid" value={energy(stats.data.exported_kwh)} />
            <Stat label="Powerwall in / out"
                  value={`${energy(stats.data.battery_in_kwh)} / ${energy(stats.data.battery_out_kwh)}`} />
            <Stat label="Money saved" value={money(stats.data.money_saved, stats.data.currency)} />
          </div>
        )}
      </Card>
      <Card title={CHART_TITLE[period]}>
        {from && to ? (
          <QueryView query={history} isEmpty={(d) => d.items.length === 0} empty="No intervals in this period."
                     failed="The energy history of this period could not be loaded.">
            {() => <TimeChart times={chart.times} series={chart.series} bucket={BUCKET[period]}
                              labels={chart.labels} yLabel="kWh" testId="energy-chart" />}
          </QueryView>
        ) : (
          !stats.isPending && <p className="muted">Nothing to chart.</p>
        )}
      </Card>
    </>
  );
}

export function Energy() {
  const sites = useEnergySites();
  const [site, setSite] = useState<number | null>(null);
  return (
    <div className="page">
      <div className="page-header">
        <h1>Energy</h1>
        {sites.data && sites.data.items.length > 1 && (
          <select aria-label="Site" value={site ?? sites.data.items[0]?.energy_site_id}
                  onChange={(e) => setSite(Number(e.target.value))}>
            {sites.data.items.map((s) => <option key={s.energy_site_id} value={s.energy_site_id}>{s.site_name}</option>)}
          </select>
        )}
      </div>
      <SetupProgress />
      <QueryView query={sites} isEmpty={(d) => d.items.length === 0} empty="No energy site in this account.">
        {(d) => {
          const id = site ?? d.items[0].energy_site_id;
          return <SiteEnergy key={id} siteId={id} />;
        }}
      </QueryView>
    </div>
  );
}
