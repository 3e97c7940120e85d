import { afterEach, describe, expect, it } from 'vitest';

import { getToken, logoutEverywhere, onLogout, setToken } from './client';
import { mockApi } from '../test/render';

describe('logoutEverywhere', () => {
  afterEach(() => setToken(null));

  it('revokes the token on the server, then forgets it', async () => {
    const calls = mockApi({ 'POST /api/auth/logout': [204, null] });
    setToken('jwt-abc');
    let notified = 0;
    const stop = onLogout(() => notified++);
    await logoutEverywhere();
    stop();
    expect(calls).toEqual([{ method: 'POST', path: '/api/auth/logout', body: undefined, auth: 'Bearer jwt-abc' }]);
    expect(getToken()).toBeNull();
    expect(notified).toBe(1);
  });

  it('forgets the token even when the server cannot be reached', async () => {
    mockApi({});
    setToken('jwt-abc');
    await logoutEverywhere();
    expect(getToken()).toBeNull();
  });
});
