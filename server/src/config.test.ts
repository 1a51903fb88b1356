import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults on an empty environment', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', DATABASE_URL: 'file:./data/zeitgeber.db', JOB_TIMEOUT_MS: 30_000 });
  });

  it('reads numbers from the environment and ignores unrelated variables', () => {
    expect(loadConfig({ PORT: '8080', MAX_IN_FLIGHT: '500', PATH: '/usr/bin' })).toMatchObject({ PORT: 8080, MAX_IN_FLIGHT: 500 });
  });

  it('lets the heap grow 50 % past its live size by default, and 0 leaves the factor to V8', () => {
    expect(loadConfig({}).HEAP_GROWTH_PERCENT).toBe(50);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).HEAP_GROWTH_PERCENT).toBe(0);
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: '301' })).toThrowError('HEAP_GROWTH_PERCENT="301": must be an integer from 0 to 300');
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

describe('loadConfig: access and outbound settings', () => {
  it('reads comma-separated token lists, and defaults to none', () => {
    expect(loadConfig({}).API_TOKEN).toEqual([]);
    expect(loadConfig({ API_TOKEN: ' first-token-000000000 , second-token-00000000,', API_READ_TOKEN: 'reader-token-0000000' })).toMatchObject({
      API_TOKEN: ['first-token-000000000', 'second-token-00000000'],
      API_READ_TOKEN: ['reader-token-0000000'],
    });
  });

  it('never shows a refused secret in its message', () => {
    for (const env of [{ API_TOKEN: 'short-secret' }, { API_READ_TOKEN: 'has space in-it-000000' }, { SIGNING_SECRET: 'whsec_bad secret' }]) {
      const [[name, value]] = Object.entries(env) as [[string, string]];
      expect(() => loadConfig(env)).toThrow(`${name}=(value hidden): `);
      expect(() => loadConfig(env)).not.toThrow(value);
    }
  });

  it('takes a Standard Webhooks signing secret and a target policy', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(loadConfig({ SIGNING_SECRET: secret, TARGET_POLICY: 'public-only' })).toMatchObject({ SIGNING_SECRET: secret, TARGET_POLICY: 'public-only' });
    expect(loadConfig({}).TARGET_POLICY).toBe('default');
    expect(() => loadConfig({ TARGET_POLICY: 'none' })).toThrow('TARGET_POLICY="none"');
  });
});
