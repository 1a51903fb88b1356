import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobService } from '../../service/job-service.ts';
import type { StatusService } from '../../service/status-service.ts';
import type { RouteAccess } from '../../http/auth.ts';
import { readJsonBody, sendJson, sendJsonArray } from '../../http/json.ts';
import type { RestMatch } from '../../http/server.ts';
import { openApiDocument } from './openapi.ts';
import { restExecution, restJob } from './rest-shapes.ts';

/** The metrics in Prometheus' text exposition format. */
export interface PrometheusExposition {
  contentType: string;
  render(): Promise<string>;
}

export interface RestDeps {
  jobs: JobService;
  status: StatusService;
  prometheus: PrometheusExposition;
  bodyLimitBytes: number;
  /** What /metrics asks of its caller: `open` for scrapers, or `read` (METRICS_REQUIRE_TOKEN=1). */
  metricsAccess: RouteAccess;
}

type Handler = (context: { request: IncomingMessage; response: ServerResponse; params: string[] }) => Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  access: RouteAccess;
  handler: Handler;
}

/** Whether a scraper asks for the text exposition (Prometheus sends both of these). */
const wantsPrometheusText = (accept: string | undefined): boolean => /\b(text\/plain|application\/openmetrics-text)\b/.test(accept ?? '');

/** How many executions `GET /jobs/:jobId/executions` returns, as documented. */
const LATEST_EXECUTIONS = 5;
/** Jobs read, shaped and written at a time by `GET /jobs`. */
const LIST_CHUNK = 1_000;

/**
 * The REST compatibility routes, answering exactly as the original service documented them.
 * Each handler is a thin adapter over the service; errors are mapped by the HTTP layer.
 */
export function createRestRoutes(deps: RestDeps) {
  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/jobs\/?$/,
      access: 'write',
      async handler({ request, response }) {
        const job = await deps.jobs.createJob(await readJsonBody(request, deps.bodyLimitBytes));
        sendJson(response, 201, { jobId: job.id, nextExecutionTime: restJob(job).nextExecutionTime });
      },
    },
    {
      method: 'GET',
      pattern: /^\/jobs(?:\/getAllJobs)?\/?$/,
      access: 'read',
      async handler({ response }) {
        await sendJsonArray(response, deps.jobs.allJobs(LIST_CHUNK), restJob);
      },
    },
    {
      method: 'GET',
      pattern: /^\/jobs\/([^/]+)\/executions\/?$/,
      access: 'read',
      async handler({ response, params }) {
        const executions = await deps.jobs.latestExecutions(params[0]!, LATEST_EXECUTIONS);
        sendJson(response, 200, executions.map(restExecution));
      },
    },
    {
      method: 'GET',
      pattern: /^\/jobs\/([^/]+)\/?$/,
      access: 'read',
      async handler({ response, params }) {
        sendJson(response, 200, restJob(await deps.jobs.getJob(params[0]!)));
      },
    },
    ...(['POST', 'PUT'] as const).map(
      (method): Route => ({
        method,
        pattern: /^\/jobs\/([^/]+)\/?$/,
        access: 'write',
        async handler({ request, response, params }) {
          const job = await deps.jobs.updateJob(params[0]!, await readJsonBody(request, deps.bodyLimitBytes));
          sendJson(response, 200, { message: 'Job updated successfully', job: restJob(job) });
        },
      }),
    ),
    {
      method: 'GET',
      pattern: /^\/health\/?$/,
      access: 'open',
      async handler({ response }) {
        sendJson(response, 200, deps.status.health());
      },
    },
    {
      method: 'GET',
      pattern: /^\/ready\/?$/,
      access: 'open',
      async handler({ response }) {
        const readiness = deps.status.readiness();
        sendJson(response, readiness.ready ? 200 : 503, readiness);
      },
    },
    {
      method: 'GET',
      pattern: /^\/metrics\/?$/,
      access: deps.metricsAccess,
      async handler({ request, response }) {
        if (!wantsPrometheusText(request.headers.accept)) {
          sendJson(response, 200, await deps.status.metrics());
          return;
        }
        const text = await deps.prometheus.render();
        response.writeHead(200, { 'content-type': deps.prometheus.contentType, 'content-length': Buffer.byteLength(text) });
        response.end(text);
      },
    },
    {
      method: 'GET',
      pattern: /^\/openapi\.json$/,
      access: 'open',
      async handler({ response }) {
        sendJson(response, 200, openApiDocument);
      },
    },
  ];

  /**
   * Finds the handler for a request: a route, `405` when the path exists with other methods, or
   * null when no REST path matches (the caller answers 404).
   */
  return function match(method: string, path: string): RestMatch {
    // The route of this method first: it is all a request usually needs, without a list per request.
    for (const route of routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (found === null) continue;
      return {
        access: route.access,
        handle: async (context) => {
          const params = found.slice(1).map((part) => decodeURIComponent(part));
          await route.handler({ ...context, params });
        },
      };
    }
    const allowed = routes.filter((route) => route.pattern.test(path)).map((route) => route.method);
    return allowed.length === 0 ? null : { allowed: [...new Set(allowed)] };
  };
}
