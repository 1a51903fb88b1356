import type { ExecutionOutcome } from '../../../utils/execution-labels.ts';

/** One finished execution as the chart sees it. */
export interface ChartExecution {
  startedAt: string;
  durationMs: number;
  outcome: ExecutionOutcome;
}

export interface ChartBar {
  x: number;
  width: number;
  /** Top of the bar; the chart's baseline is at `height`. */
  y: number;
  height: number;
  outcome: ExecutionOutcome;
}

export interface ChartLayout {
  bars: ChartBar[];
  /** The duration at the top of the scale, in ms (a round number above the slowest run). */
  scaleMs: number;
  from: string | null;
  to: string | null;
}

/** A round ceiling for the scale: 1, 2 or 5 times a power of ten, at least 1 ms. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Lays out executions (given newest first, as the history lists them) as bars from oldest on
 * the left to newest on the right, each as tall as its duration on a shared scale; a bar is
 * never thinner than a pixel so instant failures still show.
 */
export function layoutExecutionChart(executions: readonly ChartExecution[], width: number, height: number): ChartLayout {
  const ordered = [...executions].reverse();
  const scaleMs = niceCeiling(Math.max(0, ...ordered.map((execution) => execution.durationMs)));
  const slot = ordered.length > 0 ? width / ordered.length : width;
  const barWidth = Math.max(1, slot * 0.7);
  const bars = ordered.map((execution, index) => {
    const barHeight = Math.max(1, (execution.durationMs / scaleMs) * height);
    return { x: index * slot + (slot - barWidth) / 2, width: barWidth, y: height - barHeight, height: barHeight, outcome: execution.outcome };
  });
  return { bars, scaleMs, from: ordered[0]?.startedAt ?? null, to: ordered.at(-1)?.startedAt ?? null };
}
