import { UNKNOWN_OUTCOME_EXPLANATION } from '../../../utils/execution-labels.ts';
import { formatDuration } from '../../../utils/format-duration.ts';
import { formatDateTime } from '../../../utils/format-time.ts';
import { layoutExecutionChart, type ChartExecution } from './execution-chart-geometry.ts';

const WIDTH = 600;
const HEIGHT = 160;

function summarize(executions: readonly ChartExecution[]): string {
  if (executions.length === 0) return 'No finished executions yet';
  const count = (outcome: ChartExecution['outcome']) => executions.filter((execution) => execution.outcome === outcome).length;
  const unknown = count('UNKNOWN');
  const slowest = Math.max(...executions.map((execution) => execution.durationMs));
  return `Duration of the last ${executions.length} executions, oldest on the left: ${count('FAILED')} failed, ${unknown > 0 ? `${unknown} unknown, ` : ''}slowest ${formatDuration(slowest)}`;
}

/** Duration and outcome of recent executions: one bar each, red when it failed, grey when its outcome is unknown. */
export function ExecutionChart({ executions }: { executions: readonly ChartExecution[] }) {
  const layout = layoutExecutionChart(executions, WIDTH, HEIGHT);
  const label = summarize(executions);
  return (
    <section className="panel" aria-labelledby="execution-chart-title">
      <div className="panel__head">
        <h2 id="execution-chart-title">Duration and outcome</h2>
        <span className="legend">
          <span className="legend__swatch legend__swatch--succeeded" aria-hidden="true" /> Succeeded
          <span className="legend__swatch legend__swatch--failed" aria-hidden="true" /> Failed
          <span className="legend__item" title={UNKNOWN_OUTCOME_EXPLANATION}>
            <span className="legend__swatch legend__swatch--unknown" aria-hidden="true" /> Unknown
          </span>
        </span>
      </div>
      {executions.length === 0 ? (
        <p className="muted">The chart fills in as the job runs.</p>
      ) : (
        <figure className="chart">
          <div className="chart__scale muted small" aria-hidden="true">
            <span>{formatDuration(layout.scaleMs)}</span>
            <span>0</span>
          </div>
          <svg className="chart__plot" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label}>
            <line className="chart__grid" x1={0} x2={WIDTH} y1={HEIGHT / 2} y2={HEIGHT / 2} />
            {layout.bars.map((bar, index) => (
              <g key={index}>
                {bar.outcome !== 'SUCCEEDED' && <rect className={`chart__band chart__band--${bar.outcome.toLowerCase()}`} x={bar.x} width={bar.width} y={0} height={HEIGHT} />}
                <rect className={`chart__bar chart__bar--${bar.outcome.toLowerCase()}`} x={bar.x} width={bar.width} y={bar.y} height={bar.height} />
              </g>
            ))}
          </svg>
          {layout.from && layout.to && (
            <figcaption className="chart__axis muted small">
              <time dateTime={layout.from}>{formatDateTime(layout.from)}</time>
              <time dateTime={layout.to}>{formatDateTime(layout.to)}</time>
            </figcaption>
          )}
        </figure>
      )}
    </section>
  );
}
