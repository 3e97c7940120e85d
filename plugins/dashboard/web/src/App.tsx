import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';

import { getToken, onLogout } from './api/client';
import { DEFAULT_CONFIG, useDashboardConfig } from './api/hooks';
import { Layout } from './components/Layout';
import { Spinner } from './components/ui';
import { Dashboard } from './pages/Dashboard';
import { Login } from './pages/Login';
import { UnitsProvider, type Units } from './units';

// Pages with maps and charts load on demand, so the dashboard paints without them.
const VehicleDetail = lazy(() => import('./pages/VehicleDetail').then((m) => ({ default: m.VehicleDetail })));
const Charging = lazy(() => import('./pages/Charging').then((m) => ({ default: m.Charging })));
const Energy = lazy(() => import('./pages/Energy').then((m) => ({ default: m.Energy })));
const Drivers = lazy(() => import('./pages/Drivers').then((m) => ({ default: m.Drivers })));
const Settings = lazy(() => import('./pages/Settings').then((m) => ({ default: m.Settings })));

function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
    </div>
  );
}

export function App() {
  const [loggedIn, setLoggedIn] = useState(() => getToken() !== null);
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  const config = useDashboardConfig();
  const defaults = useMemo<Units>(
    () => ({
      distance: config.data?.distance_unit ?? DEFAULT_CONFIG.distance_unit,
      temperature: config.data?.temperature_unit ?? DEFAULT_CONFIG.temperature_unit,
    }),
    [config.data],
  );

  useEffect(
    () =>
      onLogout(() => {
        setLoggedIn(false);
        client.clear();
      }),
    [client],
  );

  if (!loggedIn) {
    if (location.pathname !== '/login') {
      return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
    }
    return (
      <Login
        onLoggedIn={() => {
          setLoggedIn(true);
          const from = (location.state as { from?: string } | null)?.from;
          navigate(from && from !== '/login' ? from : '/', { replace: true });
        }}
      />
    );
  }

  return (
    <UnitsProvider defaults={defaults}>
      <Suspense fallback={<Spinner />}>
        <Routes>
          <Route path="/login" element={<Navigate to="/" replace />} />
          <Route element={<Layout />}>
            <Route index element={<Dashboard />} />
            <Route path="vehicles/:id" element={<VehicleDetail />} />
            <Route path="charging" element={<Charging />} />
            <Route path="energy" element={<Energy />} />
            <Route path="drivers" element={<Drivers />} />
            <Route path="settings" element={<Settings />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </Suspense>
    </UnitsProvider>
  );
}
