/** What the fake socket server does with a connection_init payload: acknowledge it, or close with a code. */
export type InitAnswer = { ack: true } | { closeCode: number; reason: string };

type Listener = ((event: unknown) => void) | null;

export interface FakeGraphqlWs {
  /** A WebSocket class for graphql-ws's `webSocketImpl`: each instance talks to this fake server. */
  WebSocket: unknown;
  /** The connection_init payloads received, in order (undefined when a client sent none). */
  inits: unknown[];
}

/**
 * A graphql-ws server inside the test, behind a WebSocket look-alike: it opens at once, answers
 * connection_init as `answer` says and pings with pongs; subscriptions stay open and silent.
 * No byte leaves the process.
 */
export function createFakeGraphqlWs(answer: (payload: unknown) => InitAnswer): FakeGraphqlWs {
  const inits: unknown[] = [];

  class FakeWebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readyState = FakeWebSocket.CONNECTING;
    onopen: Listener = null;
    onmessage: Listener = null;
    onclose: Listener = null;
    onerror: Listener = null;

    constructor(
      readonly url: string,
      readonly protocol: string,
    ) {
      setTimeout(() => {
        if (this.readyState !== FakeWebSocket.CONNECTING) return;
        this.readyState = FakeWebSocket.OPEN;
        this.onopen?.({});
      }, 0);
    }

    send(text: string): void {
      const message = JSON.parse(text) as { type: string; payload?: unknown };
      if (message.type === 'ping') this.#reply({ type: 'pong' });
      if (message.type !== 'connection_init') return;
      inits.push(message.payload);
      const reply = answer(message.payload);
      if ('ack' in reply) this.#reply({ type: 'connection_ack' });
      else this.close(reply.closeCode, reply.reason);
    }

    close(code = 1000, reason = ''): void {
      if (this.readyState >= FakeWebSocket.CLOSING) return;
      this.readyState = FakeWebSocket.CLOSING;
      setTimeout(() => {
        this.readyState = FakeWebSocket.CLOSED;
        this.onclose?.({ code, reason, wasClean: true });
      }, 0);
    }

    #reply(message: Record<string, unknown>): void {
      setTimeout(() => {
        if (this.readyState === FakeWebSocket.OPEN) this.onmessage?.({ data: JSON.stringify(message) });
      }, 0);
    }
  }

  return { WebSocket: FakeWebSocket, inits };
}
