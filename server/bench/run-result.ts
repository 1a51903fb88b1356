import type { DeliveryAnalysis, MeasurementWindow, PersistedCount } from './analyse.ts';
import type { Scenario } from './options.ts';

/** Everything measured in one run of one scenario. */
export interface RunResult {
  scenario: Scenario;
  /** What the row measured, e.g. `zeitgeber`, `read-load: 200 reads/s` or `transport: got`. */
  variant: string;
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
  /** CPU seconds the target process used over the window: it shares the machine's cores. */
  targetCpuSeconds: number;
  /** CPU seconds the side load's process (subscribers, readers) used over the window; null without one. */
  sideLoadCpuSeconds: number | null;
  /** Peak resident set of the measured process, in bytes. */
  peakRssBytes: number;
}

/** What one of the scenarios beyond zeitgeber/reference reports. */
export interface ScenarioReport {
  /** Zeitgeber runs it measured, shown in the main table. */
  runs: RunResult[];
  /** Its own markdown sections (a title line and a table each), printed after the main table. */
  sections: string[];
  /** Why it fails the bench as a check; empty when sound. */
  problems: string[];
}
