import type { ReactNode } from 'react';

/** One figure with its name and an optional line of context. */
export function StatCard({ label, value, detail, tone }: { label: string; value: ReactNode; detail?: ReactNode; tone?: 'good' | 'bad' | 'warn' }) {
  return (
    <div className={`stat${tone ? ` stat--${tone}` : ''}`}>
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">{value}</dd>
      {detail !== undefined && <dd className="stat__detail">{detail}</dd>}
    </div>
  );
}
