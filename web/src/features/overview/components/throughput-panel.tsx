import { Sparkline } from '../../../components/sparkline.tsx';
import { formatRate } from '../api/throughput.ts';

/** Executions per second now, with the last couple of minutes as a line. */
export function ThroughputPanel({ rates }: { rates: readonly number[] }) {
  const current = rates.at(-1);
  const peak = rates.length > 0 ? Math.max(...rates) : undefined;
  return (
    <section className="panel throughput" aria-labelledby="throughput-title">
      <div className="panel__head">
        <h2 id="throughput-title">Executions per second</h2>
        <span className="muted small">peak {formatRate(peak)}/s</span>
      </div>
      <p className="throughput__value" aria-live="off">
        {formatRate(current)}
        <span className="throughput__unit">/s</span>
      </p>
      {rates.length < 2 ? (
        <p className="muted small">Measuring… the line appears after a few seconds.</p>
      ) : (
        <Sparkline values={rates} label={`Executions per second over the last ${rates.length} readings, now ${formatRate(current)}`} />
      )}
    </section>
  );
}
