import { describe, expect, it } from 'vitest';
import { runCrashScenario } from '../crash/scenario.ts';

/**
 * The crash test in small: 40 jobs, three `kill -9` of the server (run from its sources through
 * tsx) at seeded random instants, restarts on the same database, a graceful stop, then every
 * occurrence checked against the target's log and the database (crash/verify.ts). Readiness is
 * awaited (the target's IPC message, /health), never slept on; the up- and downtimes are the
 * scenario itself.
 */
describe('kill -9 under load', () => {
  it('loses no occurrence and sends no at-most-once occurrence twice', { timeout: 150_000 }, async () => {
    const result = await runCrashScenario({ jobs: 40, kills: 3, upMs: [800, 2_000], downMs: [200, 600], seed: 20_261_126, dist: false });
    const explain = `seed ${result.seed}\n${result.timeline.join('\n')}`;
    expect(result.violations, explain).toEqual([]);
    expect(result.counts.kills).toBe(3);
    expect(result.counts.jobs).toBe(40);
    expect(result.counts.delivered, explain).toBeGreaterThan(0);
  });
});
