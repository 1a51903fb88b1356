import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from './options.ts';

describe('parseBenchArgs', () => {
  it('defaults to 1000 jobs for 60 s, zeitgeber and reference, once', () => {
    expect(parseBenchArgs([])).toEqual({
      jobs: [1000],
      apiLoadJobs: [2000],
      seconds: 60,
      repeat: 1,
      scenarios: ['zeitgeber', 'reference'],
      createConcurrency: 32,
      connections: 256,
      subscribers: 100,
      subscriptionModes: ['batches', 'events'],
      createCount: 20_000,
      createInFlight: 16,
      batches: 10,
      batchSize: 10_000,
      millionJobs: 1_000_000,
      readsPerSecond: 200,
      loadBatchSize: 10_000,
    });
  });

  it('reads lists and numbers, skipping the `--` pnpm forwards', () => {
    const options = parseBenchArgs(['--', '--jobs', '1000,5000', '--seconds', '30', '--repeat', '2', '--scenario', 'zeitgeber']);
    expect(options).toMatchObject({ jobs: [1000, 5000], apiLoadJobs: [1000, 5000], seconds: 30, repeat: 2, scenarios: ['zeitgeber'] });
  });

  it('takes every scenario and its own sizes', () => {
    const options = parseBenchArgs([
      '--scenario', 'subscribers,create-rate,million,read-load,create-load,transport',
      '--subscribers', '10', '--create-count', '500', '--create-in-flight', '4', '--batches', '3', '--batch-size', '100',
      '--million-jobs', '20000', '--reads-per-second', '50', '--load-batch-size', '500',
    ]);
    expect(options).toMatchObject({
      scenarios: ['subscribers', 'create-rate', 'million', 'read-load', 'create-load', 'transport'],
      subscribers: 10,
      createCount: 500,
      createInFlight: 4,
      batches: 3,
      batchSize: 100,
      millionJobs: 20_000,
      readsPerSecond: 50,
      loadBatchSize: 500,
    });
  });

  it('makes --quick a short run that explicit options still override', () => {
    expect(parseBenchArgs(['--quick'])).toMatchObject({
      jobs: [200],
      apiLoadJobs: [200],
      seconds: 10,
      subscribers: 20,
      createCount: 2_000,
      batches: 2,
      millionJobs: 20_000,
    });
    expect(parseBenchArgs(['--quick', '--jobs', '50', '--million-jobs', '1000'])).toMatchObject({ jobs: [50], seconds: 10, millionJobs: 1_000 });
  });

  it('returns null for --help', () => {
    expect(parseBenchArgs(['--help'])).toBeNull();
  });

  it.each([
    [['--jobs', '0']],
    [['--seconds', '1.5']],
    [['--scenario', 'cron']],
    [['--jobs', ',']],
    [['--batch-size', '10001']],
    [['--load-batch-size', '10001']],
    [['--subscribers', '-1']],
    [['--unknown']],
  ])('refuses %j with a usage error', (argv) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchUsageError);
  });
});
