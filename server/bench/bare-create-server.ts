/**
 * The floor of job creation on this machine: an HTTP server that answers the create calls the
 * bench makes with the least work an answer takes. `POST /jobs` parses the job and answers 201
 * with it and a new id; `POST /graphql` parses the batch and answers one new id per input. No
 * validation, no cron, no database, no scheduling: whatever Zeitgeber's creates cost beyond this
 * server's is its own work. Run as a child process of its own, as the server is.
 *
 * Protocol over IPC: it sends `{ type: 'listening', port }`, and exits when the parent goes away.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** The answer to one call, from its path and its parsed body. */
function respond(path: string | undefined, body: unknown, response: ServerResponse): void {
  if (path === '/jobs') {
    answer(response, 201, { id: randomUUID(), ...(body as object) });
    return;
  }
  if (path === '/graphql') {
    const inputs = (body as { variables?: { inputs?: unknown[] } }).variables?.inputs ?? [];
    answer(response, 200, { data: { createJobs: inputs.map(() => ({ id: randomUUID() })) } });
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
