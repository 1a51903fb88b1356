/**
 * Where the dashboard's pages live. The server's REST routes own `/jobs...`, `/health` and
 * `/metrics`, so a page address there would answer JSON on reload; under this prefix every
 * address falls through to the dashboard.
 */
export const DASHBOARD_BASE = '/dashboard';

/** The address to show instead of `pathname`, or null when it is already inside the dashboard. */
export function dashboardAddress(pathname: string): string | null {
  if (pathname === DASHBOARD_BASE || pathname.startsWith(`${DASHBOARD_BASE}/`)) return null;
  return pathname === '/' ? `${DASHBOARD_BASE}/` : `${DASHBOARD_BASE}${pathname}`;
}
