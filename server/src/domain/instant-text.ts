/**
 * An ISO-8601 formatter that remembers the instant it formatted last: the fires of a burst, and
 * the events they raise, share their scheduled instant, so a burst costs one `toISOString`.
 * Each caller keeps its own, so one caller's instants never evict another's.
 */
export function lastInstantFormatter(): (ms: number) => string {
  let lastMs = Number.NaN;
  let lastText = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastText = new Date(ms).toISOString();
      lastMs = ms;
    }
    return lastText;
  };
}
