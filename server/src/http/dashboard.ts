import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

/** web/dist at the top of the repository, from both src/http and dist/http. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export type StaticHandler = (request: IncomingMessage, response: ServerResponse, notFound: () => void) => void;

/** The dashboard's own pages: `/` and everything under `/dashboard` (the REST routes own the rest). */
const PAGE_PATH = /^\/(?:dashboard(?:\/.*)?)?$/;

/**
 * Serves the dashboard's built files, and index.html for its pages (single-page app); any other
 * unknown path stays a JSON 404 for API clients. Null when the dashboard has not been built (the
 * API still works).
 */
export function createDashboardHandler(dir: string = DEFAULT_DASHBOARD_DIR): StaticHandler | null {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const serve = sirv(dir, { etag: true, gzip: false, brotli: false, immutable: false });
  return (request, response, notFound) =>
    serve(request, response, () => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (!PAGE_PATH.test(path)) return notFound();
      request.url = '/index.html';
      serve(request, response, notFound);
    });
}
