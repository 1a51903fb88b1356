/**
 * Resolves at `at` (epoch ms) by the wall clock. A timer is not trusted: the clock is re-read on
 * every wake and the wait re-armed when it woke early.
 */
export function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      const left = at - Date.now();
      if (left <= 0) resolve();
      else setTimeout(check, left);
    };
    check();
  });
}
