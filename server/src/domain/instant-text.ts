/** Length of `toISOString` for years 0000–9999 (`YYYY-MM-DDTHH:MM:SS.mmmZ`). */
const ISO_LENGTH = 24;
/** Length of its `YYYY-MM-DDTHH:MM:` prefix. */
const MINUTE_PREFIX_LENGTH = 17;

/**
 * An ISO-8601 formatter that remembers the instant it formatted last, and the minute it fell in.
 * The fires of a burst, and the events they raise, share their scheduled instant, so a burst costs
 * one `toISOString`; a page of executions or jobs holds instants a second or so apart, and those
 * of the same minute only append their seconds and milliseconds to the remembered prefix
 * (`toISOString` cost about 4 µs here, a good part of the CPU of a read). Each caller keeps its
 * own, so one caller's instants never evict another's.
 */
export function lastInstantFormatter(): (ms: number) => string {
  let lastMs = Number.NaN;
  let lastText = '';
  let minute = Number.NaN;
  let minutePrefix = '';
  return (ms) => {
    if (ms === lastMs) return lastText;
    const minuteOf = Math.floor(ms / 60_000);
    if (minuteOf === minute && Number.isInteger(ms)) {
      const inMinute = ms - minuteOf * 60_000;
      const seconds = Math.floor(inMinute / 1_000);
      const millis = inMinute - seconds * 1_000;
      lastText = `${minutePrefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
    } else {
      lastText = new Date(ms).toISOString();
      const standard = lastText.length === ISO_LENGTH;
      minute = standard ? minuteOf : Number.NaN;
      minutePrefix = standard ? lastText.slice(0, MINUTE_PREFIX_LENGTH) : '';
    }
    lastMs = ms;
    return lastText;
  };
}
