import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('defaults to the page origin, with a matching WebSocket scheme', () => {
    expect(parseConfig({}, 'https://zeit.example:8443')).toEqual({
      graphqlHttpUrl: 'https://zeit.example:8443/graphql',
      graphqlWsUrl: 'wss://zeit.example:8443/graphql',
      pollIntervalMs: 2_000,
    });
  });

  it('accepts an absolute API URL and a poll interval', () => {
    const config = parseConfig({ VITE_GRAPHQL_URL: 'http://127.0.0.1:3000/graphql', VITE_POLL_INTERVAL_MS: '500' }, 'http://localhost:5173');
    expect(config.graphqlWsUrl).toBe('ws://127.0.0.1:3000/graphql');
    expect(config.pollIntervalMs).toBe(500);
  });

  it('names the variable and the value it refuses', () => {
    expect(() => parseConfig({ VITE_GRAPHQL_URL: 'ftp://x/graphql' }, 'http://localhost')).toThrow(ConfigError);
    expect(() => parseConfig({ VITE_POLL_INTERVAL_MS: 'soon' }, 'http://localhost')).toThrow(/VITE_POLL_INTERVAL_MS="soon"/);
  });
});
