// First-run status: what the host is doing with the Tesla account (not connected, connecting, discovering,
// backfilling N of M days) instead of an empty page. Hidden once everything is ready and nothing failed.
// Polls GET /api/sync/status every 2 s until ready; refreshes the car and site lists as they are found.
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '../api/client';
import type { SyncProgress, SyncStatus } from '../api/types';

const TITLES: Record<SyncProgress['phase'], string> = {
  not_connected: 'Not connected',
  connecting: 'Connecting to Tesla',
  discovering: 'Looking for your cars and energy sites',
  backfilling: 'Fetching history',
  ready: 'Up to date',
};

export function SetupProgress() {
  const client = useQueryClient();
  const status = useQuery({
    queryKey: ['sync-status'],
    queryFn: () => api<SyncStatus>('/api/sync/status'),
    refetchInterval: (q) => (q.state.data?.progress?.phase === 'ready' ? 30_000 : 2_000),
  });
  const progress = status.data?.progress;
  // New cars or sites found (or the phase moved on): the pages' lists are fetched again at once.
  const seen = useRef('');
  useEffect(() => {
    if (!progress) return;
    const key = `${progress.phase}/${progress.vehicles ?? ''}/${progress.energy_sites ?? ''}`;
    if (seen.current && seen.current !== key) {
      void client.invalidateQueries({ queryKey: ['vehicles'] });
      void client.invalidateQueries({ queryKey: ['energy-sites'] });
    }
    seen.current = key;
  }, [client, progress]);

  if (!progress || (progress.phase === 'ready' && !progress.last_error)) return null;
  const { days_done: done, days_total: total } = progress.backfill;
  return (
    <section className="card setup-progress" role="status" aria-label="Account status" data-testid="setup-progress"
             data-phase={progress.phase}>
      <h2>{TITLES[progress.phase]}</h2>
      <p>{progress.message}</p>
      {progress.phase === 'backfilling' && total > 0 && (
        <progress max={total} value={done} aria-label={`${done} of ${total} days`} />
      )}
      {progress.last_error && (
        <p className="error" data-testid="setup-error">
          {progress.last_error}
          {progress.last_error_detail && <span className="muted"> ({progress.last_error_detail})</span>}
        </p>
      )}
      {progress.phase === 'not_connected' && <Link to="/settings">Connect your Tesla account</Link>}
    </section>
  );
}
