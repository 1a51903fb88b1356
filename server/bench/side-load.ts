import type { MeasurementWindow } from './analyse.ts';

/**
 * Extra work run against the server during a Zeitgeber run (WebSocket subscribers, GraphQL
 * reads), from processes of its own so that it shares the machine but not the server's thread.
 */
export interface SideLoad<R> {
  /** Starts it once the server answers, before any job exists. */
  attach(serverUrl: string): Promise<void>;
  /** Once every job exists: their ids and the window about to be measured (it starts 2 s later). */
  begin(jobIds: readonly string[], window: MeasurementWindow): Promise<void>;
  /** After the window has settled, with the server still running: its figures; it then stops. */
  finish(): Promise<R>;
  /** Stops it at once (idempotent), for errors. */
  kill(): void;
  /** Its process, whose CPU over the window is reported; null when it has none. */
  pid(): number | null;
}

/** No side load: a plain run. */
export const NO_SIDE_LOAD: SideLoad<null> = {
  attach: () => Promise.resolve(),
  begin: () => Promise.resolve(),
  finish: () => Promise.resolve(null),
  kill: () => {},
  pid: () => null,
};
