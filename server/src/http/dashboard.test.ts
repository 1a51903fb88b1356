import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardHandler } from './dashboard.ts';

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zeitgeber-dashboard-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Zeitgeber</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  const handler = createDashboardHandler(dir)!;
  server = createServer((request, response) =>
    handler(request, response, () => {
      response.writeHead(404);
      response.end('not found');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard files', () => {
  it('serves the built assets and index.html for the dashboard pages', async () => {
    expect(await (await fetch(`${base}/assets/app.js`)).text()).toBe('console.log(1)');
    for (const page of ['/', '/dashboard', '/dashboard/jobs/42']) {
      const response = await fetch(`${base}${page}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>Zeitgeber</title>');
    }
  });

  it('leaves other unknown paths to the API 404', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('is absent when the dashboard is not built', () => {
    expect(createDashboardHandler(join(dir, 'missing'))).toBeNull();
  });
});
