import { NavLink, Outlet } from 'react-router-dom';

import { logoutEverywhere } from '../api/client';

const LINKS = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/charging', label: 'Charging' },
  { to: '/energy', label: 'Energy' },
  { to: '/drivers', label: 'Drivers' },
  { to: '/settings', label: 'Settings' },
];

export function Layout() {
  return (
    <div className="app">
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="Tessie Stats home">
          <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="#111827" />
            <path d="M9 18h5l-2 8 9-12h-5l2-8z" fill="#22c55e" />
          </svg>
          <span>Tessie Stats</span>
        </NavLink>
        <nav className="nav" aria-label="Main">
          {LINKS.map((l) => (
            <NavLink key={l.to} to={l.to} end={l.end} className={({ isActive }) => (isActive ? 'active' : '')}>
              {l.label}
            </NavLink>
          ))}
        </nav>
        <button type="button" className="btn btn-ghost logout" onClick={() => void logoutEverywhere()}>
          Log out
        </button>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
