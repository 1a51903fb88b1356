import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { TalliedHistogram } from './tallied-histogram.ts';

describe('TalliedHistogram', () => {
  it('renders cumulative buckets in seconds, a bound counting as its own bucket (le)', () => {
    const histogram = new TalliedHistogram('zeitgeber_test_seconds', 'A test figure.', [0.001, 0.01, 0.1]);
    for (const ms of [0, 1, 1.5, 10, 50, 100, 250]) histogram.observe(ms);
    const [family] = parsePrometheusTextFormat(histogram.render());
    expect(family).toMatchObject({ name: 'zeitgeber_test_seconds', help: 'A test figure.', type: 'HISTOGRAM' });
    const metric = family!.metrics[0] as { buckets: Record<string, string>; count: string; sum: string };
    expect(metric.buckets).toEqual({ '0.001': '2', '0.01': '4', '0.1': '6', '+Inf': '7' });
    expect(Number(metric.count)).toBe(7);
    expect(Number(metric.sum)).toBeCloseTo(0.4125, 10);
    expect(histogram.count).toBe(7);
  });

  it('renders empty buckets before anything is observed', () => {
    const [family] = parsePrometheusTextFormat(new TalliedHistogram('zeitgeber_idle_seconds', 'Idle.', [1]).render());
    expect(family!.metrics[0]).toMatchObject({ buckets: { '1': '0', '+Inf': '0' }, count: '0', sum: '0' });
  });
});
