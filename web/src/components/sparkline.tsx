/** Points of a polyline that fits `values` into a width × height box (the largest value at the top). */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const top = Math.max(...values, 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((value, index) => `${(index * step).toFixed(1)},${(height - (Math.max(0, value) / top) * height).toFixed(1)}`)
    .join(' ');
}

/** A small line chart of recent values, with its meaning in `label`. */
export function Sparkline({ values, label, width = 240, height = 48 }: { values: readonly number[]; label: string; width?: number; height?: number }) {
  const points = sparklinePoints(values, width, height - 2);
  return (
    <svg className="sparkline" role="img" aria-label={label} viewBox={`0 -1 ${width} ${height}`} preserveAspectRatio="none">
      <title>{label}</title>
      {points !== '' && (
        <>
          <polygon className="sparkline__area" points={`0,${height - 2} ${points} ${width},${height - 2}`} />
          <polyline className="sparkline__line" points={points} />
        </>
      )}
    </svg>
  );
}
