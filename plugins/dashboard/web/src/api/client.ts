// The REST client: the login token lives in sessionStorage (gone when the tab closes); every call sends it
// as a Bearer header, and a 401 sends the user back to the login page.

const TOKEN_KEY = 'tessie.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = () => void;
const logoutListeners = new Set<Listener>();

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// Called when the server refuses the token (expired, host restarted with a new secret).
export function onLogout(listener: Listener): () => void {
  logoutListeners.add(listener);
  return () => logoutListeners.delete(listener);
}

// Forgets the token locally (the server refused it, or the user logged out).
export function logout(): void {
  setToken(null);
  logoutListeners.forEach((l) => l());
}

// The Log out button: asks the server to revoke the token (POST /api/auth/logout) so that a copy of it is
// worthless too, then forgets it. The local logout happens even when the server cannot be reached.
export async function logoutEverywhere(): Promise<void> {
  const token = getToken();
  if (token) {
    try {
      await fetch('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    } catch {
      // Offline: the token still expires on its own.
    }
  }
  logout();
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Is Tessie Stats running?');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const body = (data ?? {}) as { error?: string; message?: string };
    if (response.status === 401 && path !== '/api/auth/login') logout();
    throw new ApiError(response.status, body.error ?? 'http_error', body.message ?? `HTTP ${response.status}`);
  }
  return data as T;
}

export async function login(password: string): Promise<void> {
  const r = await api<{ token: string }>('/api/auth/login', { method: 'POST', body: { username: 'admin', password } });
  setToken(r.token);
}
