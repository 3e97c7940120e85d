import { useEffect, useState, type FormEvent } from 'react';

import { api } from '../api/client';
import { useApiMutation, useAuthStatus, usePlugins, useSyncStatus } from '../api/hooks';
import type { AuthStatus, SyncStatus } from '../api/types';
import { Card, ErrorBox, QueryView, Segmented, Stat } from '../components/ui';
import { dateTime, money, useUnits, type DistanceUnit, type TemperatureUnit } from '../units';

function Connection({ status }: { status: AuthStatus }) {
  const [token, setToken] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [signInError, setSignInError] = useState<unknown>(null);
  const store = useApiMutation<string, { verified?: boolean; message?: string }>('POST', () => '/api/auth/token',
    ['auth-status', 'sync-status', 'vehicles'], (t) => ({ refresh_token: t }));
  const remove = useApiMutation<void>('DELETE', () => '/api/auth/token', ['auth-status', 'sync-status']);
  function submit(e: FormEvent) {
    e.preventDefault();
    store.mutate(token.trim(), {
      onSuccess: (r) => {
        setToken('');
        setMessage(r?.message ?? (r?.verified ? 'Token stored and accepted by Tesla.' : 'Token stored.'));
      },
    });
  }
  async function signIn() {
    try {
      const r = await api<{ url: string }>('/api/auth/tesla/login');
      window.location.assign(r.url);
    } catch (e) {
      setSignInError(e);
    }
  }
  return (
    <>
      <div className="stats-grid" data-testid="tesla-connection">
        <Stat label="Tesla account"
              value={<span className={`badge ${status.connected ? 'badge-online' : 'badge-offline'}`}>
                {status.broken ? 'Sign in again' : status.connected ? 'Connected' : 'Not connected'}</span>} />
        <Stat label="Region" value={status.region ?? '—'} />
        <Stat label="Last token refresh" value={dateTime(status.last_refresh_at)} />
        <Stat label="Access token until" value={dateTime(status.access_token_expires_at)} />
      </div>
      {status.last_error && <ErrorBox error={status.last_error} />}
      {status.scopes && status.scopes.length > 0 && <p className="muted small">Scopes: {status.scopes.join(', ')}</p>}
      <form className="row wrap" onSubmit={submit} aria-label="Store a refresh token">
        <input type="password" className="grow" placeholder="Tesla refresh token" aria-label="Tesla refresh token"
               value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" />
        <button type="submit" className="btn btn-primary" disabled={!token.trim() || store.isPending}>Store token</button>
        {status.connected && (
          <button type="button" className="btn btn-danger" disabled={remove.isPending}
                  onClick={() => { if (window.confirm('Forget the Tesla tokens?')) remove.mutate(); }}>
            Remove token
          </button>
        )}
        {status.sign_in_available && (
          <button type="button" className="btn" onClick={() => void signIn()}>Sign in with Tesla</button>
        )}
      </form>
      {store.isError && <ErrorBox error={store.error} />}
      {remove.isError && <ErrorBox error={remove.error} />}
      {signInError ? <ErrorBox error={signInError} /> : null}
      {message && <p className="ok" role="status">{message}</p>}
    </>
  );
}

// What "Sync now" is doing: sent, jobs running, done (with failures counted) or refused.
type SyncRun = { phase: 'sending' } | { phase: 'running'; runsBefore: number; jobs: number; seenRunning: boolean }
  | { phase: 'done'; jobs: number; failed: number } | { phase: 'failed'; message: string };

const totalRuns = (s: SyncStatus | undefined) => (s?.jobs ?? []).reduce((n, j) => n + j.runs, 0);

// The next state of a running sync from a fresh GET /api/sync/status: done once the jobs have run (runs went up
// by at least the number triggered, or they were seen running and none runs any more).
export function syncProgress(run: SyncRun, status: SyncStatus): SyncRun {
  if (run.phase !== 'running') return run;
  const running = status.jobs.some((j) => j.running);
  const ran = totalRuns(status) - run.runsBefore;
  if (!running && (ran >= Math.max(1, run.jobs) || (run.seenRunning && ran > 0))) {
    return { phase: 'done', jobs: ran, failed: status.jobs.filter((j) => j.last_result === 'error').length };
  }
  return running && !run.seenRunning ? { ...run, seenRunning: true } : run;
}

function SyncFeedback({ run }: { run: SyncRun | null }) {
  if (!run) return null;
  if (run.phase === 'failed') return <ErrorBox error={`Sync could not be started: ${run.message}`} />;
  const text = run.phase === 'sending' ? 'Starting the sync…'
    : run.phase === 'running' ? `Sync running (${run.jobs} job${run.jobs === 1 ? '' : 's'})…`
    : run.failed > 0 ? `Sync done: ${run.jobs} job runs; ${run.failed} job${run.failed === 1 ? '' : 's'} failing (see Result).`
    : `Sync done: ${run.jobs} job runs, all ok.`;
  return <p className={run.phase === 'done' && run.failed === 0 ? 'ok' : 'muted'} role="status" data-testid="sync-feedback">{text}</p>;
}

export function Settings() {
  const auth = useAuthStatus();
  const [run, setRun] = useState<SyncRun | null>(null);
  const sync = useSyncStatus(run?.phase === 'running' ? 1000 : undefined);
  const plugins = usePlugins();
  const { units, setUnits } = useUnits();
  const trigger = useApiMutation<void, { triggered: number }>('POST', () => '/api/sync/trigger', ['sync-status']);
  useEffect(() => {
    if (run?.phase === 'running' && sync.data) {
      const next = syncProgress(run, sync.data);
      if (next !== run) setRun(next);
    }
  }, [run, sync.data]);
  function syncNow() {
    const runsBefore = totalRuns(sync.data);
    setRun({ phase: 'sending' });
    trigger.mutate(undefined, {
      onSuccess: (r) => setRun({ phase: 'running', runsBefore, jobs: r?.triggered ?? 0, seenRunning: false }),
      onError: (e) => setRun({ phase: 'failed', message: e.message }),
    });
  }
  return (
    <div className="page">
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <Card title="Tesla connection">
        <QueryView query={auth}>{(s) => <Connection status={s} />}</QueryView>
      </Card>
      <Card title="Sync" actions={
        <button type="button" className="btn" disabled={trigger.isPending || run?.phase === 'running'}
                onClick={syncNow}>Sync now</button>
      }>
        <SyncFeedback run={run} />
        <QueryView query={sync}>
          {(s) => (
            <>
              <div className="stats-grid" data-testid="api-cost">
                <Stat label="Fleet API cost today" value={money(s.api_cost.total_usd, 'USD')} sub={`UTC day ${s.api_cost.day}`} />
                <Stat label="Budget per vehicle" value={money(s.api_cost.daily_budget_per_vehicle_usd, 'USD')} sub="per day" />
                <Stat label="Sync jobs" value={s.jobs.length} sub={`${s.jobs.filter((j) => j.last_result === 'error').length} failing`} />
              </div>
              <div className="table-scroll">
                <table className="table stack" data-testid="sync-jobs">
                  <thead>
                    <tr><th>Job</th><th>Last run</th><th>Result</th><th className="num">Runs</th><th>Next</th></tr>
                  </thead>
                  <tbody>
                    {s.jobs.map((j) => (
                      <tr key={`${j.plugin}/${j.job}`}>
                        <td data-label="Job">{j.plugin} / {j.job}</td>
                        <td data-label="Last run">{dateTime(j.last_run_at)}</td>
                        <td data-label="Result">
                          <span className={`badge ${j.last_result === 'error' ? 'badge-offline' : j.last_result === 'ok' ? 'badge-online' : ''}`}
                                title={j.last_error ?? ''}>{j.running ? 'running' : j.last_result}</span>
                        </td>
                        <td className="num" data-label="Runs">{j.runs}</td>
                        <td data-label="Next">{dateTime(j.next_run_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </QueryView>
      </Card>
      <Card title="Units">
        <div className="row wrap">
          <Segmented<DistanceUnit> label="Distance" value={units.distance}
                                   onChange={(d) => setUnits({ ...units, distance: d })}
                                   options={[{ value: 'km', label: 'km' }, { value: 'mi', label: 'miles' }]} />
          <Segmented<TemperatureUnit> label="Temperature" value={units.temperature}
                                      onChange={(t) => setUnits({ ...units, temperature: t })}
                                      options={[{ value: 'C', label: '°C' }, { value: 'F', label: '°F' }]} />
          <button type="button" className="btn btn-ghost" onClick={() => setUnits(null)}>Server default</button>
        </div>
        <p className="muted small">Saved in this browser. The default comes from plugins.dashboard in the host's config.</p>
      </Card>
      <Card title="Plugins">
        <QueryView query={plugins}>
          {(p) => (
            <div className="table-scroll">
              <table className="table stack" data-testid="plugins">
                <thead><tr><th>Plugin</th><th>Version</th><th>State</th><th>About</th></tr></thead>
                <tbody>
                  {p.plugins.map((x) => (
                    <tr key={x.name}>
                      <td data-label="Plugin"><strong>{x.name}</strong></td>
                      <td data-label="Version">{x.version}</td>
                      <td data-label="State">
                        <span className={`badge ${x.state === 'running' ? 'badge-online' : x.state === 'failed' ? 'badge-offline' : ''}`}>
                          {x.state}
                        </span>
                      </td>
                      <td className="muted" data-label="About">{x.error ?? x.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryView>
      </Card>
    </div>
  );
}
