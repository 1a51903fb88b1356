import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults on an empty environment', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', DATABASE_URL: 'file:./data/zeitgeber.db', JOB_TIMEOUT_MS: 30_000 });
  });

  it('reads numbers from the environment and ignores unrelated variables', () => {
    expect(loadConfig({ PORT: '8080', MAX_IN_FLIGHT: '500', PATH: '/usr/bin' })).toMatchObject({ PORT: 8080, MAX_IN_FLIGHT: 500 });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT="eighty": must be an integer from 0 to 65535'],
    [{ PORT: '70000' }, 'PORT="70000": must be an integer from 0 to 65535'],
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL="postgres://x": must be a SQLite file URL such as file:./data/zeitgeber.db'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"'],
  ])('refuses %j naming the variable and its value', (env, message) => {
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    expect(() => loadConfig(env)).toThrowError(message);
  });
});
