import { describe, expect, it } from 'vitest';
import { CrashUsageError, parseCrashArgs } from './options.ts';

const seed = () => 42;

describe('parseCrashArgs', () => {
  it('defaults to 300 jobs and 5 kills on the sources, with a random seed', () => {
    expect(parseCrashArgs([], seed)).toEqual({ jobs: 300, kills: 5, upMs: [3_000, 12_000], downMs: [200, 3_000], seed: 42, dist: false });
  });

  it('reads every option, past the -- that pnpm forwards', () => {
    expect(parseCrashArgs(['--', '--jobs', '40', '--kills', '0', '--seed', '7', '--dist', '--keep-in', '/tmp/x'], seed)).toMatchObject({
      jobs: 40,
      kills: 0,
      seed: 7,
      dist: true,
      keepIn: '/tmp/x',
    });
  });

  it('returns null for --help', () => {
    expect(parseCrashArgs(['--help'], seed)).toBeNull();
  });

  it('refuses bad counts and unknown options, naming them', () => {
    expect(() => parseCrashArgs(['--jobs', '0'], seed)).toThrow(CrashUsageError);
    expect(() => parseCrashArgs(['--kills', 'many'], seed)).toThrow(/--kills must be an integer of at least 0, got "many"/);
    expect(() => parseCrashArgs(['--fast'], seed)).toThrow(/--fast/);
  });
});
