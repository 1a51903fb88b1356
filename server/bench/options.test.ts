import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from './options.ts';

describe('parseBenchArgs', () => {
  it('defaults to 1000 jobs for 60 s, both scenarios, once', () => {
    expect(parseBenchArgs([])).toEqual({
      jobs: [1000],
      seconds: 60,
      repeat: 1,
      scenarios: ['zeitgeber', 'reference'],
      createConcurrency: 32,
      connections: 256,
    });
  });

  it('reads lists and numbers, skipping the `--` pnpm forwards', () => {
    const options = parseBenchArgs(['--', '--jobs', '1000,5000', '--seconds', '30', '--repeat', '2', '--scenario', 'zeitgeber']);
    expect(options).toMatchObject({ jobs: [1000, 5000], seconds: 30, repeat: 2, scenarios: ['zeitgeber'] });
  });

  it('makes --quick a short run that explicit options still override', () => {
    expect(parseBenchArgs(['--quick'])).toMatchObject({ jobs: [200], seconds: 10 });
    expect(parseBenchArgs(['--quick', '--jobs', '50'])).toMatchObject({ jobs: [50], seconds: 10 });
  });

  it('returns null for --help', () => {
    expect(parseBenchArgs(['--help'])).toBeNull();
  });

  it.each([
    [['--jobs', '0']],
    [['--seconds', '1.5']],
    [['--scenario', 'cron']],
    [['--jobs', ',']],
    [['--unknown']],
  ])('refuses %j with a usage error', (argv) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchUsageError);
  });
});
