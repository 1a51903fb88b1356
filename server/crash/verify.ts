import type { TargetRequest } from './target-log.ts';

export type DeliveryType = 'ATLEAST_ONCE' | 'ATMOST_ONCE';

/** A job as the crash test created it. */
export interface CreatedJob {
  id: string;
  type: DeliveryType;
  /** The job fires at every multiple of this period since the epoch (`* * * * * *`: 1000 ms). */
  periodMs: number;
  /**
   * When its 201 arrived (the test's clock), in ms. The occurrences strictly after the job's
   * `createdAt` in the database are owed; this instant stands in when the row is missing.
   */
  createdAt: number;
}

/** What the database file holds once the server has stopped. */
export interface DatabaseFacts {
  /** Every row of the Job table, with its creation instant and its durable cursor. */
  jobs: Array<{ id: string; createdAt: number; cursorAt: number }>;
  skips: Array<{ jobId: string; fromAt: number; toAt: number; reason: string }>;
  executions: Array<{ jobId: string; scheduledAt: number; outcome: string; error: string | null }>;
  /** The answer of `PRAGMA integrity_check`, lines joined. */
  integrity: string;
}

/** Everything a crash run leaves behind, as the verification reads it. */
export interface CrashRunFacts {
  jobs: readonly CreatedJob[];
  requests: readonly TargetRequest[];
  /** Target log lines that could not be read. */
  malformedLines: readonly string[];
  database: DatabaseFacts;
  /** Occurrences scheduled at or before this instant (ms) are checked. */
  checkUntil: number;
  /** The lives of the server that ended with `kill -9`: from /health answering to the kill, in ms. */
  killedLives: ReadonlyArray<{ healthyAt: number; killedAt: number }>;
  /** The server's exit code after the final SIGTERM (null when a signal ended it). */
  finalExitCode: number | null;
}

export type ViolationRule = 'lost' | 'unrecorded' | 'duplicated' | 'jobs' | 'integrity' | 'request' | 'stop';

export interface Violation {
  rule: ViolationRule;
  message: string;
}

export interface CrashCounts {
  kills: number;
  jobs: number;
  /** (job, scheduled instant) pairs checked. */
  occurrences: number;
  /** Requests the target logged, all instants. */
  arrivals: number;
  /** Checked occurrences that arrived at least once. */
  delivered: number;
  /** Requests carrying the CATCH_UP trigger. */
  catchUps: number;
  /** ATLEAST_ONCE occurrences that arrived more than once (allowed), and the extra requests. */
  resentOccurrences: number;
  resentRequests: number;
  /** ATMOST_ONCE occurrences that arrived more than once (each is a violation). */
  atMostOnceDuplicates: number;
  /** Checked occurrences inside a Skip range of their job. */
  skipped: number;
  /**
   * ATLEAST_ONCE occurrences due while a server was up that never arrived and were skipped after
   * its kill: a crash that led to a skip, not to a re-execution (the misfire policy's choice).
   */
  interruptedSkipped: number;
  /** Execution rows with outcome UNKNOWN, and how many of those occurrences did reach the target. */
  unknowns: number;
  unknownsDelivered: number;
  /** Checked occurrences not delivered, after their job's final cursor: still owed at the next start. */
  pending: number;
}

export interface CrashVerdict {
  counts: CrashCounts;
  violations: Violation[];
}

const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));

/** The occurrences of a job strictly after its creation and at or before `until`. */
export function occurrencesOf(job: CreatedJob, until: number): number[] {
  const instants: number[] = [];
  for (let at = (Math.floor(job.createdAt / job.periodMs) + 1) * job.periodMs; at <= until; at += job.periodMs) instants.push(at);
  return instants;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Requests that do not carry a known job's own occurrence and its own key. */
function checkRequests(facts: CrashRunFacts, byId: ReadonlyMap<string, CreatedJob>, violations: Violation[]): void {
  for (const line of facts.malformedLines) violations.push({ rule: 'request', message: `unreadable target log line: ${line.slice(0, 200)}` });
  for (const r of facts.requests) {
    const job = byId.get(r.jobId);
    const problem =
      job === undefined
        ? 'no such job was created'
        : !(r.scheduledAt > job.createdAt) || r.scheduledAt % job.periodMs !== 0
          ? 'its scheduled instant is not an occurrence of the job'
          : r.key !== `${r.jobId}:${r.scheduledAt}`
            ? `its Idempotency-Key "${r.key}" is not "<jobId>:<scheduledAtMs>"`
            : null;
    if (problem !== null) {
      violations.push({ rule: 'request', message: `request for job ${r.jobId || '(none)'} at ${iso(r.scheduledAt)} arrived ${iso(r.arrivedAt)}: ${problem}` });
    }
  }
}

function checkJobTable(facts: CrashRunFacts, violations: Violation[]): void {
  const created = new Set<string>();
  for (const job of facts.jobs) {
    if (created.has(job.id)) violations.push({ rule: 'jobs', message: `job ${job.id} was created twice` });
    created.add(job.id);
  }
  const stored = new Set(facts.database.jobs.map((j) => j.id));
  for (const id of created) if (!stored.has(id)) violations.push({ rule: 'jobs', message: `job ${id} was created but is not in the Job table` });
  for (const id of stored) if (!created.has(id)) violations.push({ rule: 'jobs', message: `job ${id} is in the Job table but was never created` });
}

/**
 * Checks a crash run against Zeitgeber's delivery guarantees:
 * - every ATLEAST_ONCE occurrence arrived at least once, or lies in a Skip range of its job, or
 *   lies after the job's final durable cursor (still owed: the next start runs or skips it);
 * - no ATMOST_ONCE occurrence arrived twice (by Idempotency-Key), and each one arrived, has an
 *   execution row (UNKNOWN after a crash), lies in a Skip range or after the final cursor;
 * - every occurrence at or before its job's final durable cursor has an execution row or lies in
 *   a Skip range: the cursor moved only over durable outcomes;
 * - the Job table holds exactly the created jobs, the database passes its integrity check, the
 *   final graceful stop exits 0, and every request carries a created job's occurrence with its own key.
 */
export function verifyCrashRun(facts: CrashRunFacts): CrashVerdict {
  const violations: Violation[] = [];
  const stored = new Map(facts.database.jobs.map((j) => [j.id, j]));
  const byId = new Map(facts.jobs.map((job) => [job.id, { ...job, createdAt: stored.get(job.id)?.createdAt ?? job.createdAt }]));
  checkRequests(facts, byId, violations);
  checkJobTable(facts, violations);
  if (facts.database.integrity !== 'ok') violations.push({ rule: 'integrity', message: `PRAGMA integrity_check: ${facts.database.integrity}` });
  if (facts.finalExitCode !== 0) violations.push({ rule: 'stop', message: `the server exited with code ${facts.finalExitCode} on the final SIGTERM` });

  const arrivals = new Map<string, number>();
  for (const r of facts.requests) arrivals.set(r.key, (arrivals.get(r.key) ?? 0) + 1);
  const skipsByJob = groupBy(facts.database.skips, (s) => s.jobId);
  const executions = groupBy(facts.database.executions, (e) => `${e.jobId}:${e.scheduledAt}`);
  const counts: CrashCounts = {
    kills: facts.killedLives.length,
    jobs: facts.jobs.length,
    occurrences: 0,
    arrivals: facts.requests.length,
    delivered: 0,
    catchUps: facts.requests.filter((r) => r.trigger === 'CATCH_UP').length,
    resentOccurrences: 0,
    resentRequests: 0,
    atMostOnceDuplicates: 0,
    skipped: 0,
    interruptedSkipped: 0,
    unknowns: 0,
    unknownsDelivered: 0,
    pending: 0,
  };

  for (const e of facts.database.executions) {
    if (e.outcome !== 'UNKNOWN') continue;
    counts.unknowns++;
    if (arrivals.has(`${e.jobId}:${e.scheduledAt}`)) counts.unknownsDelivered++;
  }
  for (const [key, n] of arrivals) {
    if (n < 2) continue;
    const job = byId.get(key.slice(0, key.lastIndexOf(':')));
    if (job?.type === 'ATLEAST_ONCE') {
      counts.resentOccurrences++;
      counts.resentRequests += n - 1;
    } else if (job?.type === 'ATMOST_ONCE') {
      counts.atMostOnceDuplicates++;
      const at = Number(key.slice(key.lastIndexOf(':') + 1));
      violations.push({ rule: 'duplicated', message: `ATMOST_ONCE job ${job.id} occurrence ${iso(at)} (${at}) arrived ${n} times` });
    }
  }

  for (const job of byId.values()) {
    const skips = skipsByJob.get(job.id) ?? [];
    const cursorAt = stored.get(job.id)?.cursorAt ?? Number.NEGATIVE_INFINITY;
    for (const at of occurrencesOf(job, facts.checkUntil)) {
      counts.occurrences++;
      const key = `${job.id}:${at}`;
      const skipped = skips.some((s) => s.fromAt <= at && at <= s.toAt);
      const records = executions.get(key) ?? [];
      if (skipped) counts.skipped++;
      if (at <= cursorAt && !skipped && records.length === 0) {
        violations.push({
          rule: 'unrecorded',
          message: `${job.type} job ${job.id} occurrence ${iso(at)} (${at}): the final cursor ${iso(cursorAt)} passed it, yet it has no execution row and no Skip range (${arrivals.get(key) ?? 0} arrivals)`,
        });
      }
      if (arrivals.has(key)) {
        counts.delivered++;
        continue;
      }
      if (skipped && job.type === 'ATLEAST_ONCE' && facts.killedLives.some((life) => life.healthyAt <= at && at <= life.killedAt)) {
        counts.interruptedSkipped++;
      }
      if (skipped || (job.type === 'ATMOST_ONCE' && records.length > 0)) continue;
      if (at > cursorAt) {
        counts.pending++;
        continue;
      }
      const recorded = records.length === 0 ? 'no execution row' : records.map((e) => `${e.outcome}${e.error ? ` (${e.error})` : ''}`).join(', ');
      violations.push({
        rule: 'lost',
        message: `${job.type} job ${job.id} occurrence ${iso(at)} (${at}): never arrived, in no Skip range, behind the final cursor ${iso(cursorAt)}; ${recorded}`,
      });
    }
  }
  return { counts, violations };
}
