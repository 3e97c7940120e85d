import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { vi } from 'vitest';

import { UnitsProvider, type Units } from '../units';

export function renderWithProviders(ui: ReactElement, { units = { distance: 'km', temperature: 'C' } as Units, path = '/' } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <UnitsProvider defaults={units}>{ui}</UnitsProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

// Answers fetch() from a table of path → [status, body]; records the calls.
export function mockApi(routes: Record<string, [number, unknown]>) {
  const calls: { method: string; path: string; body?: string; auth?: string }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    const method = init?.method ?? 'GET';
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push({ method, path, body: init?.body as string | undefined, auth: headers.Authorization });
    const key = `${method} ${path.split('?')[0]}`;
    const hit = routes[key] ?? routes[`${method} ${path}`];
    if (!hit) return new Response(JSON.stringify({ error: 'not_found', message: `no route for ${path}` }), { status: 404 });
    const [status, body] = hit;
    return new Response(status === 204 ? null : JSON.stringify(body), { status });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}
