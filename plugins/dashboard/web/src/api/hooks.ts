// Server state through TanStack Query. Live values (cars, Powerwall, sync) refetch on the configured interval.
import { useCallback } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from './client';
import type {
  AuthStatus,
  ChargingSession,
  ChargingStats,
  DashboardConfig,
  Drive,
  Driver,
  DriverStats,
  EnergyHistory,
  EnergySite,
  HistoryPoint,
  Page,
  PluginInfo,
  SiteLive,
  SolarStats,
  SyncStatus,
  Vehicle,
  VehicleState,
} from './types';

export const DEFAULT_CONFIG: DashboardConfig = {
  map_tile_url: '',
  map_attribution: '',
  distance_unit: 'km',
  temperature_unit: 'C',
  refresh_interval_s: 30,
  version: '',
};

export function useDashboardConfig() {
  return useQuery({
    queryKey: ['dashboard-config'],
    queryFn: () => api<DashboardConfig>('/api/dashboard/config'),
    staleTime: Infinity,
  });
}

function useLiveInterval(): number {
  const { data } = useDashboardConfig();
  return (data?.refresh_interval_s ?? DEFAULT_CONFIG.refresh_interval_s) * 1000;
}

const q = (params: Record<string, string | number | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};

// The host's clock (GET /api/health → now): in demo and test mode the simulator's, which can be months away from
// the browser's. Stored as the offset to the browser's clock, measured at the middle of the request.
export function useHostClock() {
  const interval = useLiveInterval();
  const query = useQuery({
    queryKey: ['host-clock'],
    queryFn: async () => {
      const sent = Date.now();
      const health = await api<{ now?: string }>('/api/health').catch(() => ({ now: undefined }));
      const received = Date.now();
      const now = health.now ? Date.parse(health.now) : NaN;
      return { offsetMs: Number.isNaN(now) ? 0 : now - (sent + received) / 2 };
    },
    refetchInterval: interval,
  });
  const offset = query.data?.offsetMs;
  // now(): the host's time in ms; null until the host has answered once.
  const now = useCallback(() => (offset === undefined ? null : Date.now() + offset), [offset]);
  return { now, ready: offset !== undefined };
}

export function useVehicles() {
  const interval = useLiveInterval();
  return useQuery({
    queryKey: ['vehicles'],
    queryFn: () => api<Page<Vehicle>>('/api/vehicles'),
    refetchInterval: interval,
  });
}

export function useVehicle(id: string) {
  return useQuery({ queryKey: ['vehicle', id], queryFn: () => api<Vehicle>(`/api/vehicles/${id}`) });
}

export function useVehicleState(id: number | string) {
  const interval = useLiveInterval();
  return useQuery({
    queryKey: ['vehicle-state', String(id)],
    queryFn: () => api<VehicleState>(`/api/vehicles/${id}/state`),
    refetchInterval: interval,
  });
}

// Waits while `fromIso` is empty (the host's clock not known yet).
export function useVehicleHistory(id: string, fromIso: string, resolution: string, fields: string) {
  return useQuery({
    enabled: fromIso !== '',
    queryKey: ['vehicle-history', id, fromIso, resolution, fields],
    queryFn: () =>
      api<Page<HistoryPoint>>(
        `/api/vehicles/${id}/history${q({ from: fromIso, resolution, fields, limit: 10000 })}`,
      ),
  });
}

// The positions of the drive under way: every sample since `fromIso` (the end of the last finished drive),
// refetched with the live values while `enabled` (the car drives).
export function useDriveTrail(id: string, fromIso: string, enabled: boolean) {
  const interval = useLiveInterval();
  return useQuery({
    queryKey: ['drive-trail', id, fromIso],
    queryFn: () =>
      api<Page<HistoryPoint>>(
        `/api/vehicles/${id}/history${q({ from: fromIso, resolution: 'raw', fields: 'latitude,longitude', limit: 5000 })}`,
      ),
    enabled: enabled && fromIso !== '',
    refetchInterval: interval,
  });
}

// `live`: refetch with the live values (a vehicle's page lists a drive soon after it ends).
export function useDrives(params: { vehicle?: string; driver?: string; limit?: number; offset?: number }, live = false) {
  const interval = useLiveInterval();
  return useQuery({
    queryKey: ['drives', params],
    queryFn: () => api<Page<Drive>>(`/api/drives${q(params)}`),
    refetchInterval: live ? interval : false,
  });
}

export function useChargingSessions(params: { vehicle?: string; type?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: ['charging-sessions', params],
    queryFn: () => api<Page<ChargingSession>>(`/api/charging/sessions${q(params)}`),
  });
}

export function useChargingStats(vehicle?: string) {
  return useQuery({
    queryKey: ['charging-stats', vehicle ?? ''],
    queryFn: () => api<ChargingStats>(`/api/charging/stats${q({ vehicle })}`),
  });
}

export function useEnergySites() {
  return useQuery({ queryKey: ['energy-sites'], queryFn: () => api<Page<EnergySite>>('/api/energy/sites') });
}

export function useSiteLive(id: number | undefined) {
  const interval = useLiveInterval();
  return useQuery({
    queryKey: ['site-live', id],
    queryFn: () => api<SiteLive>(`/api/energy/sites/${id}/live`),
    enabled: id !== undefined,
    refetchInterval: interval,
  });
}

export function useSiteHistory(id: number | undefined, resolution: string, from: string, to: string) {
  return useQuery({
    queryKey: ['site-history', id, resolution, from, to],
    queryFn: () => api<EnergyHistory>(`/api/energy/sites/${id}/history${q({ resolution, from, to })}`),
    enabled: id !== undefined,
  });
}

export function useSolarStats(site: number | undefined, period: string, date?: string) {
  const interval = useLiveInterval();
  return useQuery({
    queryKey: ['solar-stats', site, period, date ?? ''],
    queryFn: () => api<SolarStats>(`/api/energy/solar/stats${q({ site, period, date })}`),
    enabled: site !== undefined,
    refetchInterval: period === 'day' ? interval : false,
    retry: false,
  });
}

export function useDrivers() {
  return useQuery({ queryKey: ['drivers'], queryFn: () => api<Page<Driver>>('/api/drivers') });
}

export function useDriverStats(id: number) {
  return useQuery({ queryKey: ['driver-stats', id], queryFn: () => api<DriverStats>(`/api/drivers/${id}/stats`) });
}

export function useAuthStatus() {
  return useQuery({ queryKey: ['auth-status'], queryFn: () => api<AuthStatus>('/api/auth/status') });
}

// `fastMs`: poll faster while something waits for the jobs (Settings' "Sync now").
export function useSyncStatus(fastMs?: number) {
  const interval = useLiveInterval();
  return useQuery({
    queryKey: ['sync-status'],
    queryFn: () => api<SyncStatus>('/api/sync/status'),
    refetchInterval: fastMs ?? interval,
  });
}

export function usePlugins() {
  return useQuery({ queryKey: ['plugins'], queryFn: () => api<{ plugins: PluginInfo[] }>('/api/plugins') });
}

// A POST/PUT/DELETE that refreshes the named queries when it succeeds.
export function useApiMutation<TBody = unknown, TResult = unknown>(
  method: string,
  path: (body: TBody) => string,
  invalidate: string[],
  body?: (input: TBody) => unknown,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TBody) => api<TResult>(path(input), { method, body: body ? body(input) : undefined }),
    onSuccess: () => {
      for (const key of invalidate) void client.invalidateQueries({ queryKey: [key] });
    },
  });
}
