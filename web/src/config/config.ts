/** Settings of the dashboard, validated once at start; nothing else reads `import.meta.env`. */
export interface WebConfig {
  /** Where queries and mutations are POSTed. */
  readonly graphqlHttpUrl: string;
  /** Where the graphql-ws socket connects for subscriptions. */
  readonly graphqlWsUrl: string;
  /** How often aggregate views (overview, failures) refresh, in ms. */
  readonly pollIntervalMs: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

interface RawEnv {
  VITE_GRAPHQL_URL?: string;
  VITE_POLL_INTERVAL_MS?: string;
}

function parseGraphqlUrl(raw: string | undefined, origin: string): URL {
  const value = raw === undefined || raw === '' ? '/graphql' : raw;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    throw new ConfigError(`config: VITE_GRAPHQL_URL=${JSON.stringify(raw)} is neither a path nor an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`config: VITE_GRAPHQL_URL=${JSON.stringify(raw)} must use http or https`);
  }
  return url;
}

function parsePollInterval(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 2_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 250 || value > 60_000) {
    throw new ConfigError(`config: VITE_POLL_INTERVAL_MS=${JSON.stringify(raw)} must be an integer between 250 and 60000`);
  }
  return value;
}

/**
 * Builds the config from the build-time environment and the page's origin: by default the API is
 * the same origin's `/graphql`, over `ws:` or `wss:` matching the page.
 */
export function parseConfig(env: RawEnv, origin: string): WebConfig {
  const http = parseGraphqlUrl(env.VITE_GRAPHQL_URL, origin);
  const ws = new URL(http.href);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  return Object.freeze({
    graphqlHttpUrl: http.href,
    graphqlWsUrl: ws.href,
    pollIntervalMs: parsePollInterval(env.VITE_POLL_INTERVAL_MS),
  });
}
