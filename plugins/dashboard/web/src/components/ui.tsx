import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';

export function Card({ title, actions, children, className }: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`card ${className ?? ''}`}>
      {(title || actions) && (
        <header className="card-header">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error" role="alert">
      <span>{message}</span>
      {retry && (
        <button type="button" className="btn btn-small" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

// Loading, error and empty states for one query; `children` renders the data.
// `failed`: what to say in words when the query fails (charts), instead of the API's error text.
export function QueryView<T>({ query, children, empty, isEmpty, failed }: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  failed?: string;
}) {
  if (query.isPending) return <Spinner />;
  if (query.isError) {
    return <ErrorBox error={failed ?? query.error} retry={() => void query.refetch()} />;
  }
  if (isEmpty && isEmpty(query.data)) return <p className="muted">{empty ?? 'Nothing yet.'}</p>;
  return <>{children(query.data)}</>;
}

export function Stat({ label, value, sub }: { label: string; value: ReactNode; sub?: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {sub && <div className="stat-sub">{sub}</div>}
    </div>
  );
}

export function Segmented<T extends string>({ value, options, onChange, label }: {
  value: T;
  options: { value: T; label: string }[];
  onChange: (v: T) => void;
  label: string;
}) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          className={o.value === value ? 'active' : ''}
          aria-pressed={o.value === value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function BatteryBar({ level, limit, charging }: { level: number | null; limit?: number | null; charging?: boolean }) {
  const v = Math.max(0, Math.min(100, level ?? 0));
  const tone = v < 20 ? 'low' : charging ? 'charging' : 'ok';
  return (
    <div className="battery" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={level ?? undefined}
         aria-label="Battery level">
      <div className={`battery-fill ${tone}`} style={{ width: `${v}%` }} />
      {limit != null && <div className="battery-limit" style={{ left: `${limit}%` }} title={`Charge limit ${limit} %`} />}
    </div>
  );
}
