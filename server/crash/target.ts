/**
 * The crash test's target API, run as a child process of its own (`node --import tsx target.ts
 * <log file>`) so that it outlives every kill of the server. Each request is appended to the log
 * file (one JSON line, written synchronously) *before* it is answered 200: whatever the server
 * believes was delivered is in the file, and nothing is held in memory. It sends
 * `{ type: 'listening', port }` over IPC once it listens on 127.0.0.1, and exits when the parent
 * disconnects.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatLogLine } from './target-log.ts';

const logPath = process.argv[2];
if (logPath === undefined) throw new Error('crash target: usage: target.ts <log file>');
const log = openSync(logPath, 'a');

function parseBody(text: string): { jobId: string; scheduledAt: number; trigger: string; attempt: number } {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return {
      jobId: typeof body.jobId === 'string' ? body.jobId : '',
      scheduledAt: typeof body.scheduledAt === 'string' ? Date.parse(body.scheduledAt) : Number.NaN,
      trigger: typeof body.trigger === 'string' ? body.trigger : '',
      attempt: typeof body.attempt === 'number' ? body.attempt : Number.NaN,
    };
  } catch {
    return { jobId: '', scheduledAt: Number.NaN, trigger: '', attempt: Number.NaN };
  }
}

const server = createServer((request, response) => {
  const arrivedAt = Date.now();
  const key = request.headers['idempotency-key'];
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = parseBody(Buffer.concat(chunks).toString('utf8'));
    writeSync(log, formatLogLine({ arrivedAt, ...body, key: typeof key === 'string' ? key : '' }));
    response.writeHead(200, { 'content-length': '0' }).end();
  });
});
server.keepAliveTimeout = 60_000;

process.once('disconnect', () => {
  closeSync(log);
  process.exit(0);
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
