import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokenCheckResult } from '../api/check-token.ts';
import { TokenPage } from './token-page.tsx';

afterEach(cleanup);

function renderPage(check: (token: string) => Promise<TokenCheckResult>) {
  const onAccepted = vi.fn<(token: string) => void>();
  render(<TokenPage reason="needed" check={check} onAccepted={onAccepted} />);
  return { onAccepted, user: userEvent.setup() };
}

describe('TokenPage', () => {
  it('asks for the token before trying anything', async () => {
    const check = vi.fn(async (): Promise<TokenCheckResult> => ({ accepted: true }));
    const { user } = renderPage(check);
    expect(document.activeElement).toBe(screen.getByLabelText('API token'));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('alert').textContent).toBe('Enter the token');
    expect(check).not.toHaveBeenCalled();
  });

  it('keeps the page and says why when the token cannot be checked, and passes on a trimmed accepted one', async () => {
    const check = vi
      .fn<(token: string) => Promise<TokenCheckResult>>()
      .mockResolvedValueOnce({ accepted: false, message: 'The server cannot be reached. Check that Zeitgeber is running, then try again.' })
      .mockResolvedValueOnce({ accepted: true });
    const { onAccepted, user } = renderPage(check);
    await user.type(screen.getByLabelText('API token'), ' good-token-0123456789 ');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot be reached/);
    expect(onAccepted).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onAccepted).toHaveBeenCalledWith('good-token-0123456789');
    expect(check).toHaveBeenLastCalledWith('good-token-0123456789');
  });
});
