import { describe, expect, it } from 'vitest';
import { dashboardAddress } from './dashboard-base.ts';

describe('dashboardAddress', () => {
  it('moves addresses outside the dashboard inside it', () => {
    expect(dashboardAddress('/')).toBe('/dashboard/');
    expect(dashboardAddress('/failures')).toBe('/dashboard/failures');
  });

  it('leaves dashboard addresses alone', () => {
    expect(dashboardAddress('/dashboard')).toBeNull();
    expect(dashboardAddress('/dashboard/jobs/abc')).toBeNull();
    expect(dashboardAddress('/dashboards')).toBe('/dashboard/dashboards');
  });
});
