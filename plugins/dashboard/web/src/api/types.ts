// Shapes of the REST API (docs/openapi.yaml and plugins/*/openapi.yaml). Metric units throughout.

export interface DashboardConfig {
  map_tile_url: string;
  map_attribution: string;
  distance_unit: 'km' | 'mi';
  temperature_unit: 'C' | 'F';
  refresh_interval_s: number;
  version: string;
}

export interface Vehicle {
  id: number;
  vin: string;
  display_name: string;
  model: string;
  trim?: string;
  color?: string;
  state: string;
  last_seen: string | null;
  last_data: string | null;
  polling?: { mode: string; activity: string; suspended: boolean };
}

export interface VehicleState {
  vehicle_id: number;
  state: string;
  last_seen: string | null;
  timestamp: string | null;
  activity?: string;
  odometer_km: number | null;
  battery_level: number | null;
  usable_battery_level?: number | null;
  battery_range_km: number | null;
  est_battery_range_km?: number | null;
  charging_state: string | null;
  charge_limit_soc: number | null;
  charger_power_kw: number | null;
  charge_energy_added_kwh: number | null;
  time_to_full_h: number | null;
  latitude: number | null;
  longitude: number | null;
  speed_kmh: number | null;
  heading?: number | null;
  power_kw?: number | null;
  shift_state?: string | null;
  inside_temp_c: number | null;
  outside_temp_c: number | null;
  locked: boolean | null;
  sentry_mode: boolean | null;
  car_version?: string | null;
  place?: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit?: number;
  offset?: number;
}

export interface HistoryPoint {
  time: string;
  [field: string]: number | string | null;
}

export interface Drive {
  id: number;
  vehicle_id: number;
  vin: string;
  display_name: string;
  start_time: string;
  end_time: string;
  start_place: string;
  end_place: string;
  start_latitude: number | null;
  start_longitude: number | null;
  end_latitude: number | null;
  end_longitude: number | null;
  distance_km: number;
  duration_s: number;
  energy_used_kwh: number | null;
  efficiency_wh_per_km: number | null;
  max_speed_kmh: number | null;
  average_speed_kmh: number | null;
  start_battery_level: number | null;
  end_battery_level: number | null;
  driver_id: number | null;
  driver_name: string | null;
  attribution: string;
}

export interface PathPoint {
  time: string;
  latitude: number;
  longitude: number;
  speed_kmh: number | null;
  battery_level: number | null;
}

export interface DriveWithPath extends Drive {
  path: PathPoint[];
}

export interface ChargingSession {
  id: number;
  vehicle_id: number;
  vin: string;
  started_at: string;
  ended_at: string | null;
  // Times placed between two samples (the host estimates a start or end it did not see).
  started_at_estimated?: boolean;
  ended_at_estimated?: boolean;
  in_progress: boolean;
  duration_min: number | null;
  start_battery_level: number | null;
  end_battery_level: number | null;
  energy_added_kwh: number;
  max_power_kw: number | null;
  avg_power_kw: number | null;
  charger_kind: 'AC' | 'DC';
  charger_type: string | null;
  place: string | null;
  cost: number | null;
  currency: string;
  solar_percentage: number | null;
  estimated?: boolean;
}

export interface ChargingMonth {
  vehicle_id: number;
  vin: string;
  month: string;
  sessions: number;
  energy_kwh: number;
  cost: number | null;
  ac_kwh: number;
  dc_kwh: number;
  avg_power_kw: number | null;
  solar_share_pct: number | null;
}

export interface ChargingStats {
  time_zone: string;
  currency: string;
  items: ChargingMonth[];
}

export interface EnergySite {
  energy_site_id: number;
  site_name: string;
  time_zone: string;
  battery_count: number | null;
  nameplate_energy_wh: number | null;
  has_solar: boolean;
  has_battery: boolean;
  has_grid: boolean;
  wall_connector_count: number;
  backfill?: { state: string; days_done: number; days_total: number };
}

export interface SiteLive {
  energy_site_id: number;
  timestamp: string | null;
  solar_power_w: number | null;
  load_power_w: number | null;
  battery_power_w: number | null;
  grid_power_w: number | null;
  wall_connector_power_w: number | null;
  battery_percentage: number | null;
  grid_status: string | null;
  island_status?: string | null;
}

export interface EnergyTotals {
  solar_produced_wh: number;
  home_consumed_wh: number;
  grid_imported_wh: number;
  grid_exported_wh: number;
  battery_charged_wh: number;
  battery_discharged_wh: number;
}

export interface EnergyBucket extends EnergyTotals {
  time: string;
  end: string;
  date?: string;
  month?: string;
}

export interface EnergyHistory {
  energy_site_id: number;
  time_zone: string;
  resolution: string;
  items: EnergyBucket[];
  totals: EnergyTotals;
}

export interface SolarStats {
  site: number;
  period: string;
  date: string | null;
  time_zone: string;
  from: string | null;
  to: string | null;
  intervals: number;
  produced_kwh: number;
  consumed_kwh: number;
  exported_kwh: number;
  imported_kwh: number;
  battery_in_kwh: number;
  battery_out_kwh: number;
  self_consumption_pct: number | null;
  self_powered_pct: number | null;
  money_saved: number | null;
  currency: string;
}

export interface Driver {
  id: number;
  name: string;
  profile_id: string | null;
  default_for_vehicles: number[];
  rules: unknown[];
}

export interface DriverStats {
  driver_id: number;
  name: string;
  drives: number;
  distance_km: number;
  duration_s: number;
  energy_kwh: number;
  efficiency_wh_per_km: number | null;
  charging_cost_share: number | null;
  currency: string | null;
}

export interface AuthStatus {
  connected: boolean;
  broken?: boolean;
  scopes?: string[];
  access_token_expires_at?: string | null;
  region?: string;
  base_url?: string;
  last_refresh_at?: string | null;
  last_error?: string | null;
  sign_in_available?: boolean;
}

export interface SyncJob {
  plugin: string;
  job: string;
  running: boolean;
  last_run_at: string | null;
  last_result: string;
  last_error: string | null;
  next_run_at: string | null;
  runs: number;
  failures: number;
}

// What the host is doing with the Tesla account (GET /api/sync/status → progress).
export interface SyncProgress {
  phase: 'not_connected' | 'connecting' | 'discovering' | 'backfilling' | 'ready';
  message: string;
  last_error: string | null;
  last_error_detail: string | null;
  vehicles: number | null;
  energy_sites: number | null;
  backfill: { days_done: number; days_total: number; items: { target: string; name: string; days_done: number; days_total: number }[] };
}

export interface SyncStatus {
  progress?: SyncProgress;
  auth: AuthStatus;
  jobs: SyncJob[];
  targets: {
    target: string;
    last_request_at: string | null;
    last_status: number;
    requests_today: Record<string, number>;
    cost_today_usd: number;
  }[];
  api_cost: { day: string; total_usd: number; daily_budget_per_vehicle_usd: number };
}

export interface PluginInfo {
  name: string;
  version: string;
  description: string;
  state: string;
  error: string | null;
  routes?: unknown[];
  jobs?: unknown[];
}
