import { readFileSync } from 'node:fs';

/** One request as the crash test's target logged it. */
export interface TargetRequest {
  /** When the request reached the target (`Date.now()` in the target process), in ms. */
  arrivedAt: number;
  jobId: string;
  /** The scheduled instant from the body, in ms; NaN when the body had none. */
  scheduledAt: number;
  trigger: string;
  /** The Idempotency-Key header; empty when absent. */
  key: string;
  attempt: number;
}

/** The target's log as read back: the requests, and the lines that could not be read. */
export interface TargetLog {
  requests: TargetRequest[];
  malformed: string[];
}

/** One log line (JSON, newline-terminated), as the target appends it. */
export function formatLogLine(request: TargetRequest): string {
  return `${JSON.stringify({ ...request, scheduledAt: Number.isNaN(request.scheduledAt) ? null : request.scheduledAt })}\n`;
}

function parseLine(line: string): TargetRequest | null {
  try {
    const value = JSON.parse(line) as Partial<Record<keyof TargetRequest, unknown>>;
    if (typeof value.arrivedAt !== 'number' || typeof value.jobId !== 'string' || typeof value.key !== 'string') return null;
    return {
      arrivedAt: value.arrivedAt,
      jobId: value.jobId,
      scheduledAt: typeof value.scheduledAt === 'number' ? value.scheduledAt : Number.NaN,
      trigger: typeof value.trigger === 'string' ? value.trigger : '',
      key: value.key,
      attempt: typeof value.attempt === 'number' ? value.attempt : Number.NaN,
    };
  } catch {
    return null;
  }
}

/** Parses a log's text: one JSON object per line; blank lines are ignored, unreadable ones kept apart. */
export function parseTargetLog(text: string): TargetLog {
  const log: TargetLog = { requests: [], malformed: [] };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const request = parseLine(line);
    if (request) log.requests.push(request);
    else log.malformed.push(line);
  }
  return log;
}

/** Reads the log file a target wrote. */
export function readTargetLog(path: string): TargetLog {
  return parseTargetLog(readFileSync(path, 'utf8'));
}
