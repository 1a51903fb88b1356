const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string | undefined, withZone: boolean): Intl.DateTimeFormat {
  const key = `${timeZone ?? ''}|${withZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: withZone ? 'short' : undefined,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * An instant as a date and time, e.g. "26 Nov 2026, 22:04:10", in `timeZone` (the browser's when
 * absent), followed by the zone's short name when `withZone` is set.
 */
export function formatDateTime(iso: string, options: { timeZone?: string; withZone?: boolean } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatterFor(options.timeZone, options.withZone ?? false).format(date);
}

/** A ratio 0..1 as a percentage, "–" when unknown: 0.9876 -> "98.8%", 1 -> "100%". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  const percent = ratio * 100;
  return `${percent === 100 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** A count with thousands separators: 12345 -> "12,345". */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
