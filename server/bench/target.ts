/**
 * The bench's target API, run as a child process of its own so that its work is not billed to
 * the process measured. It answers every request 200 at once (keep-alive) and records, per
 * request, when it arrived and which occurrence it carried. Protocol over IPC: it sends
 * `{ type: 'listening', port }`; on `{ type: 'report', file }` it writes its arrivals to the file
 * and answers `{ type: 'reported', count }`. It exits when the parent goes away.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Arrival } from './analyse.ts';
import { writeArrivals } from './arrival-file.ts';

const arrivals: Arrival[] = [];

function parseBody(text: string): { jobId: string; scheduledAt: number } {
  try {
    const body = JSON.parse(text) as { jobId?: unknown; scheduledAt?: unknown };
    return {
      jobId: typeof body.jobId === 'string' ? body.jobId : '',
      scheduledAt: typeof body.scheduledAt === 'string' ? Date.parse(body.scheduledAt) : Number.NaN,
    };
  } catch {
    return { jobId: '', scheduledAt: Number.NaN };
  }
}

const server = createServer((request, response) => {
  const arrivedAt = Date.now();
  const key = request.headers['idempotency-key'];
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    response.writeHead(200, { 'content-length': '0' }).end();
    const { jobId, scheduledAt } = parseBody(Buffer.concat(chunks).toString('utf8'));
    arrivals.push({ arrivedAt, jobId, scheduledAt, key: typeof key === 'string' ? key : '' });
  });
});
server.keepAliveTimeout = 60_000;

process.on('message', (message: { type?: string; file?: string }) => {
  if (message.type !== 'report' || typeof message.file !== 'string') return;
  writeArrivals(message.file, arrivals);
  process.send?.({ type: 'reported', count: arrivals.length });
});
process.once('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
