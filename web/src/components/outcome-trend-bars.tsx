import { describeTrend, trendBars, type TrendPoint } from './outcome-trend.ts';

const HEIGHT = 20;
const BAR = 5;
const GAP = 2;

/** Recent runs as small bars, oldest on the left: green for success, red for failure, grey when unknown, tall when slow. */
export function OutcomeTrendBars({ points }: { points: readonly TrendPoint[] }) {
  const label = describeTrend(points);
  if (points.length === 0) return <span className="muted">{label}</span>;
  const bars = trendBars(points, HEIGHT);
  const width = bars.length * (BAR + GAP) - GAP;
  return (
    <svg className="trend" role="img" aria-label={label} width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`}>
      <title>{label}</title>
      {bars.map((bar, index) => (
        <rect
          key={index}
          x={index * (BAR + GAP)}
          y={HEIGHT - bar.height}
          width={BAR}
          height={bar.height}
          rx={1}
          className={`trend__bar--${bar.outcome.toLowerCase()}`}
        />
      ))}
    </svg>
  );
}
