import type { ExecutionRecord, SkipRecord, AlertRecord, Trigger } from '../domain/occurrence.ts';

/** An execution that has been sent and has no outcome yet. */
export interface StartedExecution {
  jobId: string;
  scheduledAt: number;
  startedAt: number;
  attempt: number;
  trigger: Trigger;
}

/**
 * Every event of the service, by `noun:verb` name. Subscriptions, metrics, alerts and tests all
 * consume this one map.
 */
export interface ZeitgeberEvents {
  'execution:started': StartedExecution;
  'execution:finished': ExecutionRecord;
  /** A batch with executions is durable (intent-only commits are not announced). */
  'executions:persisted': { count: number; batchMs: number };
  'occurrences:skipped': SkipRecord;
  'alert:delivered': AlertRecord;
  'job:created': { jobId: string };
  'job:updated': { jobId: string };
  'job:paused': { jobId: string };
  'job:resumed': { jobId: string };
  'job:deleted': { jobId: string };
}

export type EventName = keyof ZeitgeberEvents;
type Listener<K extends EventName> = (payload: ZeitgeberEvents[K]) => void;

/**
 * A synchronous, typed publish/subscribe bus. Listeners run in the emitter's tick and must be
 * cheap: anything slow belongs behind a listener-owned bounded buffer. A listener that throws is
 * reported to `onListenerError` and never breaks the emitter.
 */
export class EventBus {
  readonly #listeners = new Map<EventName, Set<Listener<never>>>();
  readonly #onListenerError: (error: unknown, event: EventName) => void;

  constructor(onListenerError: (error: unknown, event: EventName) => void) {
    this.#onListenerError = onListenerError;
  }

  /** Subscribes to one event; the returned function unsubscribes. */
  on<K extends EventName>(event: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** Resolves with the first payload of `event` that satisfies `match`. */
  once<K extends EventName>(event: K, match: (payload: ZeitgeberEvents[K]) => boolean = () => true): Promise<ZeitgeberEvents[K]> {
    return new Promise((resolve) => {
      const off = this.on(event, (payload) => {
        if (!match(payload)) return;
        off();
        resolve(payload);
      });
    });
  }

  emit<K extends EventName>(event: K, payload: ZeitgeberEvents[K]): void {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return;
    for (const listener of set) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error: unknown) {
        this.#onListenerError(error, event);
      }
    }
  }
}
