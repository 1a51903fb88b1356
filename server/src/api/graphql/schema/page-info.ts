import type { Page } from '../../../service/job-service.ts';
import { builder } from '../builder.ts';

export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

/** An edge of a connection: its node, and the node's cursor, encoded only if the operation selects it. */
class Edge<T> {
  readonly node: T;
  readonly #cursorOf: (node: T) => string;

  constructor(node: T, cursorOf: (node: T) => string) {
    this.node = node;
    this.#cursorOf = cursorOf;
  }

  get cursor(): string {
    return this.#cursorOf(this.node);
  }
}

/** A service page in the Relay connection shape; pages only go forward, from `after`. */
export function toConnection<T>(page: Page<T>, after: string | null | undefined) {
  const first = page.items[0];
  const last = page.items.at(-1);
  return {
    edges: page.items.map((node) => new Edge(node, page.cursorOf)),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: Boolean(after),
      startCursor: first === undefined ? null : page.cursorOf(first),
      endCursor: last === undefined ? null : page.cursorOf(last),
    },
  };
}
