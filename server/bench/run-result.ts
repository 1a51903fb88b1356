import type { DeliveryAnalysis, MeasurementWindow, PersistedCount } from './analyse.ts';
import type { Scenario } from './options.ts';

/** Everything measured in one run of one scenario. */
export interface RunResult {
  scenario: Scenario;
  jobs: number;
  /** 1-based index of the repeat. */
  repeat: number;
  window: MeasurementWindow;
  delivery: DeliveryAnalysis;
  /** Jobs created per second through the REST API; null for the reference. */
  createdPerSecond: number | null;
  /** Execution rows in the window; null for the reference, which persists nothing. */
  persisted: PersistedCount | null;
  /** CPU seconds the measured process (server or reference loop) used over the window. */
  cpuSeconds: number;
  /** Peak resident set of the measured process, in bytes. */
  peakRssBytes: number;
}
