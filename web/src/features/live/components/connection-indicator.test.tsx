import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionProvider } from '../../../lib/connection-context.tsx';
import { createConnectionStore } from '../../../lib/connection-store.ts';
import { ConnectionIndicator } from './connection-indicator.tsx';

afterEach(cleanup);

describe('ConnectionIndicator', () => {
  it('follows the live feed from connecting to live, through a loss and back', () => {
    const store = createConnectionStore();
    render(
      <ConnectionProvider store={store}>
        <ConnectionIndicator />
      </ConnectionProvider>,
    );
    expect(screen.getByRole('status').textContent).toBe('Connecting…');
    act(() => store.connected());
    expect(screen.getByRole('status').textContent).toBe('Live');
    act(() => {
      store.closed();
      store.connecting(true);
    });
    expect(screen.getByRole('status').textContent).toBe('Reconnecting…');
    expect(screen.getByRole('status').className).toContain('live--reconnecting');
    act(() => store.connected());
    expect(screen.getByRole('status').textContent).toBe('Live');
  });
});
