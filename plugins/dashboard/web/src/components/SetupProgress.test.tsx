import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';

import type { SyncProgress } from '../api/types';
import { mockApi, renderWithProviders } from '../test/render';
import { SetupProgress } from './SetupProgress';

const progress = (p: Partial<SyncProgress>): SyncProgress => ({
  phase: 'ready', message: '', last_error: null, last_error_detail: null, vehicles: null, energy_sites: null,
  backfill: { days_done: 0, days_total: 0, items: [] }, ...p,
});
const answer = (p: Partial<SyncProgress>) => mockApi({ 'GET /api/sync/status': [200, { progress: progress(p), jobs: [] }] });

describe('SetupProgress', () => {
  it('tells a new owner to connect the account, with a link to Settings', async () => {
    answer({ phase: 'not_connected', message: 'No Tesla account is connected yet: connect it in Settings.' });
    renderWithProviders(<SetupProgress />);
    const box = await screen.findByTestId('setup-progress');
    expect(box.getAttribute('data-phase')).toBe('not_connected');
    expect(screen.getByRole('heading', { name: 'Not connected' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Connect your Tesla account' }).getAttribute('href')).toBe('/settings');
  });

  it('shows the backfill as N of M days', async () => {
    answer({ phase: 'backfilling', message: 'Fetching the energy history: 12 of 365 days (found 2 cars and 1 energy site).',
      vehicles: 2, energy_sites: 1, backfill: { days_done: 12, days_total: 365, items: [] } });
    renderWithProviders(<SetupProgress />);
    expect((await screen.findByRole('heading', { name: 'Fetching history' }))).toBeTruthy();
    expect(screen.getByText(/12 of 365 days/)).toBeTruthy();
    const bar = screen.getByLabelText('12 of 365 days') as HTMLProgressElement;
    expect(bar.getAttribute('value')).toBe('12');
    expect(bar.getAttribute('max')).toBe('365');
  });

  it('says what went wrong in words, with the technical detail beside it', async () => {
    answer({ phase: 'discovering', message: 'Looking for the account\u2019s cars and energy sites…',
      last_error: 'Tesla refused the request: the sign-in lacks a permission (scope).',
      last_error_detail: 'Tesla refused /api/1/products: 403' });
    renderWithProviders(<SetupProgress />);
    expect((await screen.findByTestId('setup-error')).textContent).toContain('lacks a permission');
    expect(screen.getByTestId('setup-error').textContent).toContain('403');
  });

  it('is gone once everything is ready', async () => {
    const calls = answer({ phase: 'ready', message: 'Up to date: 2 cars and 1 energy site.', vehicles: 2, energy_sites: 1 });
    const { container } = renderWithProviders(<SetupProgress />);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.some((c) => c.path === '/api/sync/status')).toBe(true);
    expect(container.querySelector('[data-testid=setup-progress]')).toBeNull();
  });
});
