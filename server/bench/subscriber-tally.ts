import { windowEnd, type MeasurementWindow } from './analyse.ts';

/** The kinds of execution event a subscriber receives. */
export type ExecutionEventType = 'STARTED' | 'SUCCEEDED' | 'FAILED';

/** One subscriber's events for the occurrences of a window, against what it was owed. */
export interface SubscriberSummary {
  /** Two per occurrence of the window: STARTED, then SUCCEEDED or FAILED. */
  expected: number;
  /** Events received for occurrences of the window, duplicates included. */
  received: number;
  /** Distinct (job, second, STARTED | finished) events received. */
  distinct: number;
  /** Owed events never received. */
  lost: number;
  /** (job, second, kind) received more than once. */
  duplicated: number;
  /** FAILED events among those received. */
  failed: number;
  /** Events scheduled in the window for an unknown job or an instant that is not a whole second. */
  foreign: number;
}

/** Job id → index, shared by the tallies of one window. */
export function indexJobs(jobIds: readonly string[]): ReadonlyMap<string, number> {
  return new Map(jobIds.map((id, index) => [id, index]));
}

/**
 * Counts one subscriber's execution events per (job, second, kind) for the occurrences of a
 * window, in one byte each (saturating), so a hundred subscribers of thousands of jobs stay small.
 * Events scheduled outside the window are ignored.
 */
export class SubscriberTally {
  readonly #counts: Uint8Array;
  #received = 0;
  #failed = 0;
  #foreign = 0;

  constructor(
    private readonly jobs: ReadonlyMap<string, number>,
    private readonly window: MeasurementWindow,
  ) {
    this.#counts = new Uint8Array(jobs.size * window.seconds * 2);
  }

  record(jobId: string, scheduledAt: number, type: ExecutionEventType): void {
    if (!(scheduledAt >= this.window.startMs && scheduledAt < windowEnd(this.window))) return;
    const job = this.jobs.get(jobId);
    const offset = scheduledAt - this.window.startMs;
    if (job === undefined || offset % 1_000 !== 0) {
      this.#foreign++;
      return;
    }
    this.#received++;
    if (type === 'FAILED') this.#failed++;
    const slot = ((offset / 1_000) * this.jobs.size + job) * 2 + (type === 'STARTED' ? 0 : 1);
    if (this.#counts[slot]! < 255) this.#counts[slot]!++;
  }

  summary(): SubscriberSummary {
    let distinct = 0;
    let duplicated = 0;
    for (const count of this.#counts) {
      if (count > 0) distinct++;
      if (count > 1) duplicated++;
    }
    return {
      expected: this.#counts.length,
      received: this.#received,
      distinct,
      lost: this.#counts.length - distinct,
      duplicated,
      failed: this.#failed,
      foreign: this.#foreign,
    };
  }
}

/** Every subscriber's figures folded into one row. */
export interface SubscribersVerdict {
  subscribers: number;
  /** Events owed to each subscriber. */
  expectedEach: number;
  minReceived: number;
  maxLost: number;
  /** Subscribers that lost nothing. */
  complete: number;
  problems: string[];
}

/**
 * Folds the subscribers' summaries. A subscriber that falls behind has its oldest events dropped
 * by the server (counted in its `droppedEvents` metric); one that keeps up loses none. So losses
 * beyond what the server reports dropping, duplicates, foreign events and connections closed
 * during the run are problems; losses the server accounts for are figures.
 */
export function judgeSubscribers(summaries: readonly SubscriberSummary[], droppedEvents: number, closed: number): SubscribersVerdict {
  const lost = summaries.reduce((sum, s) => sum + s.lost, 0);
  const duplicated = summaries.reduce((sum, s) => sum + s.duplicated, 0);
  const foreign = summaries.reduce((sum, s) => sum + s.foreign, 0);
  const problems: string[] = [];
  if (summaries.length === 0) problems.push('no subscriber reported');
  if (lost > droppedEvents) problems.push(`${lost} events lost, but the server reports ${droppedEvents} dropped for slow subscribers`);
  if (duplicated > 0) problems.push(`${duplicated} events received more than once`);
  if (foreign > 0) problems.push(`${foreign} events for unknown jobs or instants`);
  if (closed > 0) problems.push(`${closed} subscriber connections closed during the run`);
  return {
    subscribers: summaries.length,
    expectedEach: summaries[0]?.expected ?? 0,
    minReceived: summaries.length === 0 ? 0 : Math.min(...summaries.map((s) => s.received)),
    maxLost: summaries.length === 0 ? 0 : Math.max(...summaries.map((s) => s.lost)),
    complete: summaries.filter((s) => s.lost === 0).length,
    problems,
  };
}
