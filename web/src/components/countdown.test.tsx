import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Countdown } from './countdown.tsx';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-26T22:00:00.000Z') });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Countdown', () => {
  it('ticks down every second and says "now" once due', () => {
    render(<Countdown target="2026-11-26T22:00:03.000Z" timeZone="Europe/Berlin" />);
    const time = screen.getByText('in 3s');
    expect(time.getAttribute('datetime')).toBe('2026-11-26T22:00:03.000Z');
    expect(time.getAttribute('title')).toBe('26 Nov 2026, 23:00:03 CET');
    act(() => vi.advanceTimersByTime(1_000));
    expect(time.textContent).toBe('in 2s');
    act(() => vi.advanceTimersByTime(2_000));
    expect(time.textContent).toBe('now');
  });

  it('shares one timer between countdowns', () => {
    render(
      <>
        <Countdown target="2026-11-26T22:01:05.000Z" />
        <Countdown target="2026-11-26T23:00:00.000Z" />
      </>,
    );
    expect(vi.getTimerCount()).toBe(1);
    act(() => vi.advanceTimersByTime(5_000));
    expect(screen.getByText('in 1m 00s')).toBeTruthy();
    expect(screen.getByText('in 59m 55s')).toBeTruthy();
  });
});
