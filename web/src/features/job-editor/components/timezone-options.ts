/** Every IANA timezone the browser knows, UTC first, plus `current` if the browser lacks it. */
export function timezoneOptions(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const names = new Set(['UTC', ...known]);
  if (current !== '') names.add(current);
  return [...names];
}
