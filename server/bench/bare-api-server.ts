/**
 * The floor of the API on this machine: an HTTP server that answers the calls the bench makes with
 * the least work an answer takes. `POST /jobs` parses the job and answers 201 with it and a new
 * id; `POST /graphql` parses the operation and answers a createJobs batch with one new id per
 * input, and the read-load's reads (`JobsPage`, `History`) with a page of the same shape and size
 * as Zeitgeber's, made once at start; it refuses any other operation (api-operations.ts). No
 * validation, no cron, no database, no scheduling: whatever Zeitgeber's answers cost beyond this
 * server's is its own work, and a load sent here instead of to Zeitgeber shows what the load moves
 * by its mere presence on the machine. Run as a child process of its own, as the server is.
 *
 * Protocol over IPC: it sends `{ type: 'listening', port }`, and exits when the parent goes away.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CREATE_JOBS, HISTORY, JOBS_PAGE } from './api-operations.ts';

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

const instant = (offsetMs: number): string => new Date(Date.UTC(2026, 10, 28, 12) + offsetMs).toISOString();

/** A page of `jobs(first: 50)` with stats, as api-load-client.ts reads it from Zeitgeber. */
const JOBS_PAGE_ANSWER = JSON.stringify({
  data: {
    jobs: {
      totalCount: 2_000,
      edges: Array.from({ length: 50 }, (_, index) => ({
        node: {
          id: randomUUID(), schedule: '* * * * * *', status: 'ACTIVE', nextFireAt: instant(1_000),
          stats: {
            total: 1_200 + index, successes: 1_200 + index, failures: 0, successRate: 1, meanDurationMs: 2.4, p95DurationMs: 8,
            lastExecutionAt: instant(0), lastSuccess: true,
          },
        },
      })),
    },
  },
});

/** A history of `executions(jobId, first: 20)`, as api-load-client.ts reads it from Zeitgeber. */
const HISTORY_ANSWER = JSON.stringify({
  data: {
    executions: {
      edges: Array.from({ length: 20 }, (_, index) => ({
        node: {
          id: String(90_000 - index), scheduledAt: instant(-index * 1_000), startedAt: instant(-index * 1_000 + 41), attempt: 1,
          statusCode: 200, durationMs: 3, lagMs: 41, outcome: 'SUCCEEDED',
        },
      })),
      pageInfo: { hasNextPage: true, endCursor: Buffer.from(JSON.stringify({ id: 89_981 })).toString('base64url') },
    },
  },
});

function answerText(response: ServerResponse, text: string): void {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** The answer to one call, from its path and its parsed body. */
function respond(path: string | undefined, body: unknown, response: ServerResponse): void {
  if (path === '/jobs') {
    answer(response, 201, { id: randomUUID(), ...(body as object) });
    return;
  }
  if (path === '/graphql') {
    const { query, variables } = body as { query?: unknown; variables?: { inputs?: unknown[] } };
    if (query === JOBS_PAGE) answerText(response, JOBS_PAGE_ANSWER);
    else if (query === HISTORY) answerText(response, HISTORY_ANSWER);
    else if (query === CREATE_JOBS) answer(response, 200, { data: { createJobs: (variables?.inputs ?? []).map(() => ({ id: randomUUID() })) } });
    else answer(response, 400, { errors: [{ message: 'not an operation the bench sends (api-operations.ts)' }] });
    return;
  }
  answer(response, 404, { error: 'not found' });
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      answer(response, 400, { error: 'body is not JSON' });
      return;
    }
    respond(request.url, body, response);
  });
});
server.keepAliveTimeout = 60_000;

process.once('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
