import type { IncomingMessage } from 'node:http';

/**
 * The request's target as a URL (resolved against a fixed origin); null when it is none. Node's
 * parser lets through targets such as `//` or `//:99999/` that the URL parser refuses, so a
 * request listener that parsed them unchecked would throw, and take the process with it.
 */
export function requestUrl(request: IncomingMessage): URL | null {
  const target = request.url ?? '/';
  return URL.canParse(target, 'http://localhost') ? new URL(target, 'http://localhost') : null;
}
