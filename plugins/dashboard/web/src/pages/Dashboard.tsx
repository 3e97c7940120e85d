import { useState } from 'react';

import { useApiMutation, useEnergySites, useHostClock, useSiteLive, useSolarStats, useVehicleState, useVehicles } from '../api/hooks';
import type { EnergySite, Vehicle } from '../api/types';
import { EnergyFlowCard } from '../components/EnergyFlowCard';
import { SetupProgress } from '../components/SetupProgress';
import { VehicleCard } from '../components/VehicleCard';
import { Card, ErrorBox, QueryView, Spinner, Stat } from '../components/ui';
import { energy, money, percent } from '../units';

function LiveVehicle({ vehicle, notify }: { vehicle: Vehicle; notify: (m: string) => void }) {
  const state = useVehicleState(vehicle.id);
  const clock = useHostClock();
  const wake = useApiMutation<void, { state?: string; message?: string }>('POST', () => `/api/vehicles/${vehicle.id}/wake`,
    ['vehicles', 'vehicle-state']);
  const sync = useApiMutation<void, { triggered?: boolean }>('POST', () => `/api/vehicles/${vehicle.id}/sync`,
    ['vehicles', 'vehicle-state']);
  const name = vehicle.display_name || vehicle.vin;
  return (
    <VehicleCard
      vehicle={vehicle}
      state={state.data}
      now={clock.now()}
      busy={wake.isPending || sync.isPending}
      onWake={() =>
        wake.mutate(undefined, {
          onSuccess: (r) => notify(`${name}: ${r?.message ?? 'wake-up sent'}`),
          onError: (e) => notify(`${name}: ${e.message}`),
        })
      }
      onSync={() =>
        sync.mutate(undefined, {
          onSuccess: () => notify(`${name}: sync started`),
          onError: (e) => notify(`${name}: ${e.message}`),
        })
      }
    />
  );
}

function SiteCards({ site }: { site: EnergySite }) {
  const live = useSiteLive(site.energy_site_id);
  const today = useSolarStats(site.energy_site_id, 'day');
  return (
    <>
      {live.isPending ? (
        <Card title={site.site_name}><Spinner /></Card>
      ) : live.isError ? (
        <Card title={site.site_name}><ErrorBox error={live.error} /></Card>
      ) : (
        <EnergyFlowCard site={site} live={live.data} />
      )}
      <Card title="Today" className="today-card">
        {today.isPending ? (
          <Spinner />
        ) : today.isError ? (
          <p className="muted">No energy data for today yet.</p>
        ) : (
          <div className="stats-grid" data-testid="today">
            <Stat label="Solar produced" value={energy(today.data.produced_kwh)} />
            <Stat label="Home used" value={energy(today.data.consumed_kwh)} />
            <Stat label="Self-powered" value={percent(today.data.self_powered_pct)} />
            <Stat label="From grid" value={energy(today.data.imported_kwh)} />
            <Stat label="To grid" value={energy(today.data.exported_kwh)} />
            <Stat label="Saved" value={money(today.data.money_saved, today.data.currency)} />
          </div>
        )}
      </Card>
    </>
  );
}

export function Dashboard() {
  const vehicles = useVehicles();
  const sites = useEnergySites();
  const [message, setMessage] = useState<string | null>(null);
  const syncAll = useApiMutation<void, { triggered: number }>('POST', () => '/api/sync/trigger',
    ['vehicles', 'vehicle-state', 'site-live', 'sync-status']);
  return (
    <div className="page">
      <div className="page-header">
        <h1>Dashboard</h1>
        <button
          type="button"
          className="btn btn-primary"
          disabled={syncAll.isPending}
          onClick={() =>
            syncAll.mutate(undefined, {
              onSuccess: (r) => setMessage(`Sync started (${r?.triggered ?? 0} jobs)`),
              onError: (e) => setMessage(e.message),
            })
          }
        >
          Sync all now
        </button>
      </div>
      {message && (
        <div className="toast" role="status">
          {message}
          <button type="button" className="btn-close" aria-label="Dismiss" onClick={() => setMessage(null)}>×</button>
        </div>
      )}
      <SetupProgress />
      <div className="grid cards">
        <QueryView query={vehicles} isEmpty={(d) => d.items.length === 0}
                   empty="No vehicles yet. Connect your Tesla account in Settings.">
          {(d) => d.items.map((v) => <LiveVehicle key={v.id} vehicle={v} notify={setMessage} />)}
        </QueryView>
        {/* No energy site is normal (cars only): then nothing is shown for it. */}
        {sites.isError && <ErrorBox error={sites.error} retry={() => void sites.refetch()} />}
        {sites.data?.items.map((s) => <SiteCards key={s.energy_site_id} site={s} />)}
      </div>
    </div>
  );
}
