import { lagSummary, type Arrival, type LagSummary, type MeasurementWindow } from './analyse.ts';
import { sleepUntil } from './sleep-until.ts';

/**
 * A side load switched on and off in turns within one run, so that the seconds with it and the
 * seconds without it share one server process, one database and the same drift of the machine.
 * Two runs one after the other differ by more than that alone: ±15 ms of p99 here.
 */
export interface Phase {
  on: boolean;
  /** The phase's seconds, `[startMs, endMs)`. */
  startMs: number;
  endMs: number;
  /**
   * Its measured seconds: all but the first and the last, in which the load is switched, so that
   * a switch never falls in a measured second.
   */
  measured: MeasurementWindow;
}

/** After the start of a second, when a switch is made: past the burst of fires at its start. */
export const SWITCH_OFFSET_MS = 300;

/** Phases of `phaseSeconds` over `window`, off first, then on, in turns; an even count of them. */
export function alternatingPhases(window: MeasurementWindow, phaseSeconds: number): Phase[] {
  if (phaseSeconds < 3) throw new Error(`phases: a phase of ${phaseSeconds} s leaves no measured second`);
  const count = 2 * Math.floor(window.seconds / (2 * phaseSeconds));
  if (count < 2) throw new Error(`phases: a window of ${window.seconds} s holds no two phases of ${phaseSeconds} s`);
  return Array.from({ length: count }, (_, index) => {
    const startMs = window.startMs + index * phaseSeconds * 1_000;
    return {
      on: index % 2 === 1,
      startMs,
      endMs: startMs + phaseSeconds * 1_000,
      measured: { startMs: startMs + 1_000, seconds: phaseSeconds - 2 },
    };
  });
}

/** A phase's length for a window: 10 s, or half of a window under 40 s (at least 3 s: two switching seconds and one measured). */
export const phaseSecondsFor = (windowSeconds: number): number => (windowSeconds >= 40 ? 10 : Math.max(3, Math.floor(windowSeconds / 2)));

/** When an on-phase's load runs, `[fromMs, toMs)`: from its switch on in its first second to its switch off in its last. */
export function switchedOn(phase: Phase): { fromMs: number; toMs: number } {
  return { fromMs: phase.startMs + SWITCH_OFFSET_MS, toMs: phase.endMs - 1_000 + SWITCH_OFFSET_MS };
}

/** How the phases were cut, for a table cell: `6 × 10 s`. */
export const phasesLabel = (phases: readonly Phase[]): string => `${phases.length} × ${(phases[0]!.endMs - phases[0]!.startMs) / 1_000} s`;

/** The p99 of each phase in turn, for a table cell: `without 98, with 104, …`. */
export function phaseP99s(phases: readonly Phase[], each: readonly LagSummary[]): string {
  return phases.map((phase, index) => `${phase.on ? 'with' : 'without'} ${each[index]?.p99 ?? '—'}`).join(', ');
}

/** Switches a side load on and off. */
export interface Switch {
  /** Turns the load on; resolves once it runs in full. */
  on(phase: Phase): Promise<void>;
  /** Turns it off; resolves once it is gone from the server. */
  off(phase: Phase): Promise<void>;
}

/**
 * Follows the phases by the wall clock: each on-phase is switched on in its first second and off
 * in its last. Rejects when a switch fails or does not finish within the second it has.
 */
export async function followPhases(phases: readonly Phase[], load: Switch): Promise<void> {
  for (const phase of phases) {
    if (!phase.on) continue;
    const { fromMs, toMs } = switchedOn(phase);
    await switchWithin(fromMs, () => load.on(phase), 'on');
    await switchWithin(toMs, () => load.off(phase), 'off');
  }
}

/** Makes a switch at `at`, which must be done before the next second (a measured one, or a switching one) starts. */
async function switchWithin(at: number, change: () => Promise<void>, what: string): Promise<void> {
  await sleepUntil(at);
  await change();
  const late = Date.now() - (Math.floor(at / 1_000) + 1) * 1_000;
  if (late > 0) throw new Error(`phases: switching ${what} at ${new Date(at).toISOString()} ran ${late} ms into the next second`);
}

/** The fire lag over the measured seconds of the off-phases, of the on-phases, and of each phase alone. */
export interface PhaseLag {
  off: LagSummary;
  on: LagSummary;
  each: LagSummary[];
}

export function lagByPhase(arrivals: readonly Arrival[], phases: readonly Phase[]): PhaseLag {
  const of = (on: boolean) => lagSummary(arrivals, phases.filter((phase) => phase.on === on).map((phase) => phase.measured));
  return { off: of(false), on: of(true), each: phases.map((phase) => lagSummary(arrivals, [phase.measured])) };
}
