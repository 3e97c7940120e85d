import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';

import { getToken } from '../api/client';
import { mockApi, renderWithProviders } from '../test/render';
import { Login } from './Login';

describe('Login', () => {
  it('says so when the password is wrong', async () => {
    mockApi({ 'POST /api/auth/login': [401, { error: 'unauthorized', message: 'wrong password' }] });
    const done = vi.fn();
    renderWithProviders(<Login onLoggedIn={done} />);
    fireEvent.change(screen.getByLabelText('Admin password'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong password. Try again.');
    expect(done).not.toHaveBeenCalled();
    expect(getToken()).toBeNull();
  });

  it('keeps the token for the session and moves on', async () => {
    const calls = mockApi({ 'POST /api/auth/login': [200, { token: 'jwt-123', token_type: 'Bearer', expires_in: 3600 }] });
    const done = vi.fn();
    renderWithProviders(<Login onLoggedIn={done} />);
    fireEvent.change(screen.getByLabelText('Admin password'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(done).toHaveBeenCalledOnce());
    expect(getToken()).toBe('jwt-123');
    expect(JSON.parse(calls[0].body ?? '{}')).toEqual({ username: 'admin', password: 'secret' });
  });
});
