/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Where the GraphQL API is: a path on this origin (default /graphql) or an absolute URL. */
  readonly VITE_GRAPHQL_URL?: string;
  /** How often aggregate views refresh, in ms (default 2000). */
  readonly VITE_POLL_INTERVAL_MS?: string;
}
