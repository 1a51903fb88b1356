import type { JobRuntime } from './job-runtime.ts';

/**
 * A fire the scheduler waits for: a scheduled fire of a job (SCHEDULE), or a call to send what
 * the job holds back once it may (HELD: the first catch-up or recovery send after a restore or
 * resume). `version` is the job's version when it was queued, so an entry of an older version is
 * recognised as stale when it comes up.
 */
export interface FireEntry {
  at: number;
  job: JobRuntime;
  version: number;
  kind: 'SCHEDULE' | 'HELD';
}

const INITIAL_CAPACITY = 1_024;
const HELD = 1;

/**
 * A binary min-heap of fires ordered by `at`. Push and pop are O(log n); peek is O(1). Entries are
 * never searched for or removed from the middle: callers mark them stale instead.
 *
 * A million jobs keep a million entries queued, so entries are stored column by column (the
 * instant, version and kind in typed arrays, the job in one array) instead of one object each:
 * about 25 bytes an entry instead of about 80. The entry on top is made an object when asked for,
 * once, so a fire allocates one short-lived object, where it used to allocate a long-lived one.
 * Entries with equal instants come out in the same order as from a heap of objects.
 */
export class FireQueue {
  #at = new Float64Array(INITIAL_CAPACITY);
  #version = new Float64Array(INITIAL_CAPACITY);
  #kind = new Uint8Array(INITIAL_CAPACITY);
  readonly #jobs: JobRuntime[] = [];
  /** The entry on top as an object, once asked for; null when not made yet. */
  #top: FireEntry | null = null;

  get size(): number {
    return this.#jobs.length;
  }

  peek(): FireEntry | undefined {
    if (this.#jobs.length === 0) return undefined;
    return (this.#top ??= this.#entry(0));
  }

  push(entry: FireEntry): void {
    const jobs = this.#jobs;
    jobs.push(entry.job);
    if (jobs.length > this.#at.length) this.#grow();
    const at = this.#at;
    let i = jobs.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!(entry.at < at[parent]!)) break;
      this.#move(parent, i);
      i = parent;
    }
    this.#place(i, entry.at, entry.job, entry.version, entry.kind === 'HELD' ? HELD : 0);
    if (i === 0) this.#top = entry;
  }

  pop(): FireEntry | undefined {
    const top = this.peek();
    if (top === undefined) return undefined;
    this.#top = null;
    const jobs = this.#jobs;
    const last = jobs.length - 1;
    const lastJob = jobs.pop()!;
    if (last > 0) this.#sinkFrom(0, this.#at[last]!, lastJob, this.#version[last]!, this.#kind[last]!);
    return top;
  }

  /**
   * Drops every entry `keep` refuses, in place, and restores the heap in O(n) (bottom-up). Entries
   * of sparse schedules that a change made stale would otherwise stay until their instant comes.
   * Returns how many it dropped.
   */
  compact(keep: (job: JobRuntime, version: number, kind: FireEntry['kind']) => boolean): number {
    const jobs = this.#jobs;
    const before = jobs.length;
    let kept = 0;
    for (let i = 0; i < before; i++) {
      if (!keep(jobs[i]!, this.#version[i]!, this.#kind[i] === HELD ? 'HELD' : 'SCHEDULE')) continue;
      if (kept !== i) this.#move(i, kept);
      kept++;
    }
    jobs.length = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.#sinkFrom(i, this.#at[i]!, jobs[i]!, this.#version[i]!, this.#kind[i]!);
    this.#top = null;
    return before - kept;
  }

  #entry(i: number): FireEntry {
    return { at: this.#at[i]!, job: this.#jobs[i]!, version: this.#version[i]!, kind: this.#kind[i] === HELD ? 'HELD' : 'SCHEDULE' };
  }

  /** Puts an entry into the hole at `start` (the top, after a pop) and lets it sink to its place below. */
  #sinkFrom(start: number, at: number, job: JobRuntime, version: number, kind: number): void {
    const ats = this.#at;
    const n = this.#jobs.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      let smallestAt = at;
      if (left < n && ats[left]! < smallestAt) {
        smallest = left;
        smallestAt = ats[left]!;
      }
      if (right < n && ats[right]! < smallestAt) smallest = right;
      if (smallest === i) break;
      this.#move(smallest, i);
      i = smallest;
    }
    this.#place(i, at, job, version, kind);
  }

  #move(from: number, to: number): void {
    this.#at[to] = this.#at[from]!;
    this.#version[to] = this.#version[from]!;
    this.#kind[to] = this.#kind[from]!;
    this.#jobs[to] = this.#jobs[from]!;
  }

  #place(i: number, at: number, job: JobRuntime, version: number, kind: number): void {
    this.#at[i] = at;
    this.#version[i] = version;
    this.#kind[i] = kind;
    this.#jobs[i] = job;
  }

  #grow(): void {
    const capacity = this.#at.length * 2;
    const at = new Float64Array(capacity);
    const version = new Float64Array(capacity);
    const kind = new Uint8Array(capacity);
    at.set(this.#at);
    version.set(this.#version);
    kind.set(this.#kind);
    this.#at = at;
    this.#version = version;
    this.#kind = kind;
  }
}
