import { describe, expect, it } from 'vitest';

import type { SyncJob, SyncStatus } from '../api/types';
import { syncProgress } from './Settings';

const job = (runs: number, extra: Partial<SyncJob> = {}): SyncJob => ({
  plugin: 'vehicle', job: 'poll', running: false, last_run_at: null, last_result: 'ok', last_error: null,
  next_run_at: null, runs, failures: 0, ...extra,
});
const status = (jobs: SyncJob[]) => ({ jobs }) as SyncStatus;

describe('Sync now feedback', () => {
  it('runs until the triggered jobs have run, then says done and counts the failing ones', () => {
    let run = { phase: 'running' as const, runsBefore: 10, jobs: 2, seenRunning: false };
    expect(syncProgress(run, status([job(5), job(5)]))).toBe(run);
    const seen = syncProgress(run, status([job(5, { running: true }), job(5)]));
    expect(seen).toEqual({ ...run, seenRunning: true });
    run = seen as typeof run;
    expect(syncProgress(run, status([job(6), job(6, { last_result: 'error' })]))).toEqual({ phase: 'done', jobs: 2, failed: 1 });
  });
});
