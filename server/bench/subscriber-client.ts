/**
 * The bench's WebSocket subscribers, run as a child process of its own: `count` graphql-ws
 * clients, one connection each, each subscribed to every job's execution events (one message per
 * event, or per batch), each counting its events per (job, second, kind) for the window it is told.
 *
 * Protocol over IPC: it sends `{ type: 'ready' }`; on `{ type: 'connect', url, count }` it
 * connects and subscribes every client and answers `{ type: 'connected' }`; on `{ type: 'window',
 * jobIds, startMs, seconds }` it starts counting afresh; on `{ type: 'report' }` it answers `{ type:
 * 'tallies', summaries, closed }`; on `{ type: 'disconnect' }` it closes every client and answers
 * `{ type: 'disconnected' }`, after which it may connect again. It exits when the parent goes away.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { MeasurementWindow } from './analyse.ts';
import type { SubscriptionMode } from './options.ts';
import { indexJobs, SubscriberTally, type ExecutionEventType, type SubscriberSummary } from './subscriber-tally.ts';

/** Asks for the subscribers. */
export interface SubscribersConnect {
  type: 'connect';
  /** ws://host:port/graphql */
  url: string;
  count: number;
  mode: SubscriptionMode;
}

/** The jobs and window to count events for. */
export interface SubscribersWindow extends MeasurementWindow {
  type: 'window';
  jobIds: string[];
}

/** Every subscriber's counts. */
export interface SubscribersTallies {
  type: 'tallies';
  summaries: SubscriberSummary[];
  /** Subscriptions that ended (error or close) before the report. */
  closed: number;
}

const QUERIES: Record<SubscriptionMode, string> = {
  events: 'subscription { executionEvents { jobId scheduledAt type } }',
  batches: 'subscription { executionEventBatches { jobId scheduledAt type } }',
};

interface ExecutionEvent {
  jobId: string;
  scheduledAt: string;
  type: ExecutionEventType;
}

interface EventPayload {
  executionEvents?: ExecutionEvent;
  executionEventBatches?: ExecutionEvent[];
}

let clients: Client[] = [];
let tallies: SubscriberTally[] | null = null;
/** Subscriptions that ended while their client was meant to be connected. */
let closed = 0;

function connect(message: SubscribersConnect): void {
  let connected = 0;
  closed = 0;
  for (let index = 0; index < message.count; index++) {
    const client = createClient({ url: message.url, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
    clients.push(client);
    client.on('connected', () => {
      connected++;
      if (connected === message.count) process.send?.({ type: 'connected' });
    });
    client.subscribe<EventPayload>(
      { query: QUERIES[message.mode] },
      {
        next: ({ data }) => {
          if (tallies === null || !data) return;
          const events = data.executionEventBatches ?? (data.executionEvents ? [data.executionEvents] : []);
          for (const event of events) tallies[index]!.record(event.jobId, Date.parse(event.scheduledAt), event.type);
        },
        error: (error: unknown) => {
          if (!clients.includes(client)) return;
          closed++;
          console.error(`subscriber-client: subscriber ${index} failed:`, error);
        },
        complete: () => {
          if (clients.includes(client)) closed++;
        },
      },
    );
  }
}

async function disconnect(): Promise<void> {
  const closing = clients;
  clients = [];
  tallies = null;
  await Promise.all(closing.map((client) => client.dispose()));
  process.send?.({ type: 'disconnected' });
}

process.on('message', (message: SubscribersConnect | SubscribersWindow | { type: 'report' } | { type: 'disconnect' }) => {
  if (message.type === 'connect') connect(message);
  else if (message.type === 'disconnect') {
    disconnect().catch((error: unknown) => {
      console.error('subscriber-client: could not disconnect', error);
      process.exit(1);
    });
  }
  else if (message.type === 'window') {
    const jobs = indexJobs(message.jobIds);
    tallies = clients.map(() => new SubscriberTally(jobs, { startMs: message.startMs, seconds: message.seconds }));
  } else if (message.type === 'report') {
    const report: SubscribersTallies = { type: 'tallies', summaries: (tallies ?? []).map((tally) => tally.summary()), closed };
    process.send?.(report);
  }
});
process.once('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
