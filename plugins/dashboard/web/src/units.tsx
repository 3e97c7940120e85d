// Units: the host's defaults (plugins.dashboard.distance_unit / temperature_unit), overridable per browser in
// Settings. The API is metric; conversion happens only when showing a value.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export type DistanceUnit = 'km' | 'mi';
export type TemperatureUnit = 'C' | 'F';
export interface Units {
  distance: DistanceUnit;
  temperature: TemperatureUnit;
}

const KM_PER_MI = 1.609344;
const PREF_KEY = 'tessie.units';

export function distance(km: number | null | undefined, unit: DistanceUnit, digits = 0): string {
  if (km === null || km === undefined || Number.isNaN(km)) return '—';
  const v = unit === 'mi' ? km / KM_PER_MI : km;
  return `${formatNumber(v, digits)} ${unit}`;
}

export function speed(kmh: number | null | undefined, unit: DistanceUnit): string {
  if (kmh === null || kmh === undefined) return '—';
  return unit === 'mi' ? `${formatNumber(kmh / KM_PER_MI, 0)} mph` : `${formatNumber(kmh, 0)} km/h`;
}

export function efficiency(whPerKm: number | null | undefined, unit: DistanceUnit): string {
  if (whPerKm === null || whPerKm === undefined) return '—';
  return unit === 'mi' ? `${formatNumber(whPerKm * KM_PER_MI, 0)} Wh/mi` : `${formatNumber(whPerKm, 0)} Wh/km`;
}

export function temperature(c: number | null | undefined, unit: TemperatureUnit): string {
  if (c === null || c === undefined) return '—';
  return unit === 'F' ? `${formatNumber((c * 9) / 5 + 32, 0)} °F` : `${formatNumber(c, 1)} °C`;
}

export function formatNumber(v: number, digits = 0): string {
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function energy(kwh: number | null | undefined, digits = 1): string {
  if (kwh === null || kwh === undefined) return '—';
  return `${formatNumber(kwh, digits)} kWh`;
}

// Power in W → "3.2 kW" / "450 W".
export function power(w: number | null | undefined): string {
  if (w === null || w === undefined) return '—';
  const a = Math.abs(w);
  return a >= 1000 ? `${formatNumber(a / 1000, 1)} kW` : `${formatNumber(a, 0)} W`;
}

export function percent(p: number | null | undefined, digits = 0): string {
  if (p === null || p === undefined) return '—';
  return `${formatNumber(p, digits)} %`;
}

export function money(v: number | null | undefined, currency: string | null | undefined): string {
  if (v === null || v === undefined) return '—';
  try {
    return v.toLocaleString('en-US', { style: 'currency', currency: currency || 'USD' });
  } catch {
    return `${formatNumber(v, 2)} ${currency ?? ''}`.trim();
  }
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const m = Math.round(seconds / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const UnitsContext = createContext<{ units: Units; setUnits: (u: Units | null) => void }>({
  units: { distance: 'km', temperature: 'C' },
  setUnits: () => undefined,
});

function stored(): Units | null {
  try {
    const v = JSON.parse(localStorage.getItem(PREF_KEY) ?? 'null') as Units | null;
    if (v && (v.distance === 'km' || v.distance === 'mi') && (v.temperature === 'C' || v.temperature === 'F')) return v;
  } catch {
    /* ignore a broken preference */
  }
  return null;
}

// `defaults` come from the host's config; a choice made in Settings wins (null = back to the defaults).
export function UnitsProvider({ defaults, children }: { defaults: Units; children: ReactNode }) {
  const [pref, setPref] = useState<Units | null>(stored);
  const value = useMemo(
    () => ({
      units: pref ?? defaults,
      setUnits: (u: Units | null) => {
        if (u) localStorage.setItem(PREF_KEY, JSON.stringify(u));
        else localStorage.removeItem(PREF_KEY);
        setPref(u);
      },
    }),
    [pref, defaults],
  );
  return <UnitsContext.Provider value={value}>{children}</UnitsContext.Provider>;
}

export function useUnits() {
  return useContext(UnitsContext);
}
