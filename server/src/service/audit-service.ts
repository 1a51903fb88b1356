import { compileSchedule } from '../domain/cron.ts';
import { JobNotFoundError, StoreUnavailableError, ValidationError } from '../domain/errors.ts';
import { auditOccurrences, isAccounted, pendingWindowMs, type AuditedOccurrence } from '../domain/occurrence-audit.ts';
import { scheduleCursor } from '../domain/occurrence.ts';
import type { Clock } from '../engine/clock.ts';
import type { JobRepository, StoredJob } from '../store/job-repository.ts';

/** Most occurrences one audit examines; past this the answer says `truncated` (continue from the last one). */
export const MAX_AUDIT_OCCURRENCES = 10_000;
/** Most occurrences one backfill call runs or lists; past this the answer says `truncated`. */
export const MAX_BACKFILL_OCCURRENCES = 1_000;
/** The self-audit looks at this much of each job's recent past. */
export const SELF_AUDIT_WINDOW_MS = 10 * 60_000;
/**
 * Most occurrences one self-audit pass walks: cron-parser takes 30–100 µs a step, so with the
 * jobs-per-pass limit a pass costs at most about a second of CPU, in slices of a few ms.
 */
export const SELF_AUDIT_OCCURRENCES_PER_PASS = 10_000;
/** Occurrences walked and classified between two yields to the engine. */
const SLICE = 100;
/** Jobs read at a time by the self-audit. */
const JOB_PAGE = 50;

/** An audit of one job over a window, as the API answers it. */
export interface OccurrenceAudit {
  jobId: string;
  from: number;
  to: number;
  /** Occurrences listed: the schedule's, from the job's creation, within the window. */
  expected: number;
  /** Settled: with an execution outcome or deliberately skipped. */
  accounted: number;
  /** MISSING: due, settled, and without any record. */
  unaccounted: number;
  /** More occurrences lie in the window than one audit examines (MAX_AUDIT_OCCURRENCES). */
  truncated: boolean;
  occurrences: AuditedOccurrence[];
}

export interface BackfillResult {
  jobId: string;
  dryRun: boolean;
  count: number;
  /** More occurrences are owed in the window than one call runs (MAX_BACKFILL_OCCURRENCES). */
  truncated: boolean;
  occurrences: number[];
}

export interface AuditStats {
  /** MISSING occurrences found by the self-audit: the latest complete round, or the current one when it found more. */
  unaccountedOccurrences: number;
  passes: number;
  /** Complete rounds over every job. */
  rounds: number;
  jobsAudited: number;
  /** Backfill runs sending now. */
  backfillsRunning: number;
}

/** What the audit needs of the engine. */
export interface AuditEngine {
  /** Sends a past occurrence now; false when the job is not known. */
  fireOccurrence(jobId: string, scheduledAt: number, trigger: 'BACKFILL'): boolean;
  /** The latest occurrence of the job the engine accounts for in memory (-Infinity when it does not run the job). */
  accountedUpTo(jobId: string): number;
}

export interface AuditServiceDeps {
  jobs: JobRepository;
  engine: AuditEngine;
  clock: Clock;
  /** Resolves at a quiet moment of the engine (EnginePacer.whenQuiet): no slice starts just before or during a burst. */
  pace: () => Promise<void>;
  /** Added to each job's settle window before an unsettled occurrence past its cursor counts as MISSING. */
  graceMs: number;
  /** Jobs the self-audit visits per pass (round robin over all jobs). */
  jobsPerPass: number;
  /** Occurrences a backfill sends per second. */
  backfillRatePerSecond: number;
  /** What retention removes: history older than this (0: none); more than this many executions per job (0: none). */
  retention: { maxAgeMs: number; perJob: number };
  /** Called when the self-audit finds occurrences without any record. */
  onMissing: (jobId: string, missing: number[]) => void;
  onError: (error: unknown) => void;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function checkWindow(from: number, to: number): void {
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
    throw new ValidationError('to', `"to" must be after "from" (got from ${iso(from)}, to ${iso(to)})`);
  }
}

/**
 * The occurrence audit: for a job and a window, every occurrence its schedule expects (the same
 * compiled schedule the engine walks, so DST rules apply) and what became of it, from the job's
 * executions and skip ranges — two indexed range reads per slice of occurrences, never one per
 * occurrence. On it are built the periodic self-audit (the `unaccounted occurrences` metric) and
 * the backfill of past occurrences that were skipped or are missing.
 *
 * Work runs on the engine's thread, so it is cut into slices of SLICE occurrences, each started at
 * a quiet moment of the engine (between bursts, not just before a fire).
 */
export class AuditService {
  readonly #deps: AuditServiceDeps;
  /** Jobs with a backfill sending, each with its cancel. */
  readonly #backfills = new Map<string, () => void>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #passing = false;
  #afterJobId = '';
  #roundMissing = 0;
  #lastRoundMissing = 0;
  #passes = 0;
  #rounds = 0;
  #jobsAudited = 0;

  constructor(deps: AuditServiceDeps) {
    this.#deps = deps;
  }

  get stats(): AuditStats {
    return {
      unaccountedOccurrences: Math.max(this.#lastRoundMissing, this.#roundMissing),
      passes: this.#passes,
      rounds: this.#rounds,
      jobsAudited: this.#jobsAudited,
      backfillsRunning: this.#backfills.size,
    };
  }

  /** Audits the occurrences of a job in [from, to] (closed), at most MAX_AUDIT_OCCURRENCES of them. */
  async audit(jobId: string, from: number, to: number): Promise<OccurrenceAudit> {
    checkWindow(from, to);
    return this.#auditJob(await this.#require(jobId), from, to);
  }

  /**
   * The occurrences of [from, min(to, now)] that have no execution — skipped ones (misfire, pause,
   * overlap, DST: what a user backfills after downtime) and missing ones — up to
   * MAX_BACKFILL_OCCURRENCES. A dry run lists them; otherwise they are sent in order, oldest first,
   * at BACKFILL_RATE_PER_SECOND, each as itself (trigger BACKFILL, its own idempotency key),
   * without moving the job's cursor. Of a paused job, only occurrences up to the latest the engine
   * accounts for: those after it are its resume's to plan. One backfill per job runs at a time. An at-most-once job's
   * backfilled call is sent once by this call; should the service stop before its record is
   * written, the occurrence stays owed and a later backfill sends it again.
   */
  async backfill(jobId: string, from: number, to: number, dryRun: boolean): Promise<BackfillResult> {
    checkWindow(from, to);
    const now = this.#deps.clock.now();
    if (from > now) {
      throw new ValidationError('from', `"from" (${iso(from)}) is in the future: a backfill runs past occurrences only (now is ${iso(now)})`);
    }
    const job = await this.#require(jobId);
    if (!dryRun && this.#backfills.has(jobId)) {
      throw new ValidationError('id', `a backfill of job ${jobId} is still running; wait for it to finish before starting another`);
    }
    // Claimed before the audit, so two calls at once cannot both send the same occurrences.
    if (!dryRun) this.#backfills.set(jobId, () => {});
    try {
      // A paused job's occurrences past what the engine accounts for are planned by its misfire
      // policy when it resumes: backfilled now, they would be sent twice.
      const past = Math.min(to, now);
      const upTo = job.status === 'PAUSED' ? Math.min(past, this.#deps.engine.accountedUpTo(job.id)) : past;
      const audit = await this.#auditJob(job, from, upTo);
      const owed = audit.occurrences.filter((o) => o.outcome === 'SKIPPED' || o.outcome === 'MISSING').map((o) => o.scheduledAt);
      const occurrences = owed.slice(0, MAX_BACKFILL_OCCURRENCES);
      if (!dryRun) this.#send(jobId, occurrences);
      const cut = upTo < past || audit.truncated || owed.length > occurrences.length;
      return { jobId, dryRun, count: occurrences.length, truncated: cut, occurrences };
    } catch (error: unknown) {
      if (!dryRun) this.#backfills.delete(jobId);
      throw error;
    }
  }

  /**
   * Runs a self-audit pass every `intervalMs` (0: never): the last SELF_AUDIT_WINDOW_MS of the next
   * `jobsPerPass` jobs, walking at most SELF_AUDIT_OCCURRENCES_PER_PASS occurrences. With a million
   * jobs and the defaults (1,000 jobs a minute) a round over all of them takes about 17 hours, and
   * longer when schedules are dense (a job firing every second walks 600 occurrences): the
   * self-audit samples; the audit query answers for any job at once.
   */
  start(intervalMs: number): void {
    if (intervalMs === 0) return;
    this.#timer = setInterval(() => void this.runPass(), intervalMs);
    this.#timer.unref();
  }

  /** Stops the self-audit and the backfills still sending (what they had not sent stays owed). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    for (const cancel of this.#backfills.values()) cancel();
    this.#backfills.clear();
  }

  /** One self-audit pass (skipped while the previous one still runs). */
  async runPass(): Promise<void> {
    if (this.#passing || this.#stopped) return;
    this.#passing = true;
    try {
      await this.#pass();
    } catch (error: unknown) {
      // A pass cut short by the stop is no failure.
      if (!this.#stopped) this.#deps.onError(error);
    } finally {
      this.#passing = false;
    }
  }

  async #pass(): Promise<void> {
    const { jobsPerPass } = this.#deps;
    let walked = 0;
    let visited = 0;
    let exhausted = false;
    // Jobs are read a page at a time, as the pass needs them: a pass over dense schedules stops
    // after a few jobs, and no read of a thousand rows holds the engine's thread.
    while (!this.#stopped && walked < SELF_AUDIT_OCCURRENCES_PER_PASS && visited < jobsPerPass) {
      await this.#yieldToEngine();
      const jobs = await this.#deps.jobs.jobsAfter(this.#afterJobId, Math.min(JOB_PAGE, jobsPerPass - visited));
      if (jobs.length === 0) {
        exhausted = true;
        break;
      }
      for (const job of jobs) {
        if (this.#stopped || walked >= SELF_AUDIT_OCCURRENCES_PER_PASS) break;
        const now = this.#deps.clock.now();
        try {
          const audit = await this.#auditJob(job, now - SELF_AUDIT_WINDOW_MS, now);
          walked += audit.examined;
          this.#roundMissing += audit.unaccounted;
          if (audit.unaccounted > 0) this.#deps.onMissing(job.id, audit.occurrences.filter((o) => o.outcome === 'MISSING').map((o) => o.scheduledAt));
        } catch (error: unknown) {
          // A job deleted since the page was read has nothing left to audit.
          if (!(error instanceof JobNotFoundError)) throw error;
        }
        this.#afterJobId = job.id;
        this.#jobsAudited++;
        visited++;
      }
    }
    this.#passes++;
    if (exhausted) {
      this.#rounds++;
      this.#lastRoundMissing = this.#roundMissing;
      this.#roundMissing = 0;
      this.#afterJobId = '';
    }
  }

  async #require(jobId: string): Promise<StoredJob> {
    const job = await this.#deps.jobs.find(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return job;
  }

  /** Walks the job's schedule from max(from, creation) to `to`, classifying slice by slice. */
  async #auditJob(job: StoredJob, from: number, to: number): Promise<OccurrenceAudit & { examined: number }> {
    const compiled = compileSchedule(job.spec.schedule, job.spec.timezone, job.spec.policy);
    // The engine's first fire of a job is strictly after its creation.
    const walk = compiled.walkFrom(Math.max(from - 1, job.createdAt));
    const occurrences: AuditedOccurrence[] = [];
    let examined = 0;
    let at = walk.next();
    const inWindow = (): boolean => at !== null && at <= to && examined < MAX_AUDIT_OCCURRENCES;
    while (inWindow()) {
      await this.#yieldToEngine();
      if (this.#stopped) throw new StoreUnavailableError('the service is stopping');
      const instants: number[] = [];
      while (inWindow() && instants.length < SLICE) {
        instants.push(at!);
        examined++;
        at = walk.next();
      }
      occurrences.push(...this.#classify(job, instants));
    }
    const accounted = occurrences.filter((o) => isAccounted(o.outcome)).length;
    return {
      jobId: job.id,
      from,
      to,
      expected: occurrences.length,
      accounted,
      unaccounted: occurrences.filter((o) => o.outcome === 'MISSING').length,
      truncated: at !== null && at <= to,
      occurrences,
      examined,
    };
  }

  /** Reads the job's records for one slice of instants (one snapshot) and classifies them. */
  #classify(job: StoredJob, instants: number[]): AuditedOccurrence[] {
    const { retention, graceMs, clock, engine } = this.#deps;
    // Read before the records: what the engine vouched for then has a record now or is still on its way.
    const engineAccountedUpTo = engine.accountedUpTo(job.id);
    const history = this.#deps.jobs.occurrenceHistory(job.id, instants[0]!, instants.at(-1)!, retention.perJob > 0);
    if (!history) throw new JobNotFoundError(job.id);
    const now = clock.now();
    const aged = retention.maxAgeMs > 0 ? now - retention.maxAgeMs : Number.NEGATIVE_INFINITY;
    return auditOccurrences(instants, history.attempts, history.skips, {
      now,
      cursorAt: scheduleCursor(history),
      paused: history.status === 'PAUSED',
      changedAt: history.updatedAt,
      historyHorizon: Math.max(aged, history.trimmedUpTo ?? Number.NEGATIVE_INFINITY),
      pendingWindowMs: pendingWindowMs(job.spec, graceMs),
      maxAttempts: job.spec.maxAttempts,
      engineAccountedUpTo,
    });
  }

  /** Sends the occurrences one by one at the backfill rate; the job's claim ends with the last. */
  #send(jobId: string, occurrences: readonly number[]): void {
    const intervalMs = 1_000 / this.#deps.backfillRatePerSecond;
    let next = 0;
    let timer: NodeJS.Timeout | null = null;
    const sendNext = () => {
      timer = null;
      const at = occurrences[next++];
      if (at === undefined || this.#stopped || !this.#deps.engine.fireOccurrence(jobId, at, 'BACKFILL')) {
        this.#backfills.delete(jobId);
        return;
      }
      timer = setTimeout(sendNext, intervalMs);
      timer.unref();
    };
    this.#backfills.set(jobId, () => {
      if (timer) clearTimeout(timer);
    });
    sendNext();
  }

  /** Lets the event loop turn (timers, I/O), then waits for a quiet moment of the engine. */
  async #yieldToEngine(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await this.#deps.pace();
  }
}
