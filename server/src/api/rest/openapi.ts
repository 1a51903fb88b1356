import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject, ResponsesObject, SchemaObject, SecurityRequirementObject } from 'openapi3-ts/oas31';
import { DST_GAP_POLICIES, DST_OVERLAP_POLICIES, MISFIRE_POLICIES, OVERLAP_POLICIES, POLICY_LIMITS } from '../../domain/job-policy.ts';
import { ATTEMPT_LIMITS, DELIVERY_TYPES, TIMEOUT_LIMITS } from '../../domain/job-spec.ts';

type Schema = SchemaObject;
type Responses = ResponsesObject;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const media = (schema: Schema | ReferenceObject) => ({ schema });
const json = (schema: Schema | ReferenceObject, description: string): ResponseObject => ({
  description,
  content: { 'application/json': media(schema) },
});
const failure = (description: string) => json(ref('Error'), description);
const nullable = (type: 'string' | 'integer', extra: Schema = {}): Schema => ({ ...extra, type: [type, 'null'] });

const jobFields = {
  schedule: { type: 'string', description: 'CRON with seconds (6 fields) or the classic 5', examples: ['*/5 * * * * *'] },
  api: { type: 'string', format: 'uri', description: 'http(s) URL that receives a POST at every fire' },
  type: { type: 'string', enum: [...DELIVERY_TYPES] },
  alertWebhook: nullable('string', { format: 'uri', description: 'gets a POST when an occurrence finally fails' }),
  timezone: { type: 'string', description: 'IANA time zone, UTC by default' },
  timeoutMs: { type: 'integer', minimum: TIMEOUT_LIMITS.min, maximum: TIMEOUT_LIMITS.max },
  maxAttempts: { type: 'integer', minimum: ATTEMPT_LIMITS.min, maximum: ATTEMPT_LIMITS.max },
  misfirePolicy: { type: 'string', enum: [...MISFIRE_POLICIES], description: 'FIRE_ONCE by default' },
  catchUpLimit: { type: 'integer', minimum: POLICY_LIMITS.catchUpLimit.min, maximum: POLICY_LIMITS.catchUpLimit.max },
  catchUpWindowMs: { type: 'integer', minimum: POLICY_LIMITS.catchUpWindowMs.min, maximum: POLICY_LIMITS.catchUpWindowMs.max },
  overlapPolicy: { type: 'string', enum: [...OVERLAP_POLICIES], description: 'ALLOW by default' },
  dstGap: { type: 'string', enum: [...DST_GAP_POLICIES], description: 'SHIFT by default' },
  dstOverlap: { type: 'string', enum: [...DST_OVERLAP_POLICIES], description: 'FIRST by default' },
  successCodes: { type: 'string', description: 'status codes counted as success, e.g. "200-299,304" (default 200-299)' },
  successBodyPattern: nullable('string', { maxLength: POLICY_LIMITS.successBodyPatternLength, description: 'regular expression (RE2 syntax: no lookaround, no backreferences) the body must match' }),
  failingThreshold: { type: 'integer', minimum: POLICY_LIMITS.failingThreshold.min, maximum: POLICY_LIMITS.failingThreshold.max },
  autoPauseAfter: nullable('integer', { minimum: POLICY_LIMITS.autoPauseAfter.min, maximum: POLICY_LIMITS.autoPauseAfter.max }),
  lagAlertMs: nullable('integer', { minimum: POLICY_LIMITS.lagAlertMs.min, maximum: POLICY_LIMITS.lagAlertMs.max }),
} satisfies Record<string, Schema>;

const schemas: Record<string, Schema> = {
  Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
  Job: {
    type: 'object',
    additionalProperties: false,
    required: ['jobId', 'schedule', 'api', 'type', 'nextExecutionTime', 'alertWebhook'],
    properties: {
      jobId: { type: 'string' },
      schedule: jobFields.schedule,
      api: jobFields.api,
      type: jobFields.type,
      nextExecutionTime: nullable('string', { format: 'date-time', description: 'null while paused' }),
      alertWebhook: jobFields.alertWebhook,
    },
  },
  NewJob: { type: 'object', additionalProperties: false, required: ['schedule', 'api'], properties: jobFields },
  JobUpdate: { type: 'object', additionalProperties: false, minProperties: 1, properties: jobFields },
  Execution: {
    type: 'object',
    additionalProperties: false,
    required: ['jobId', 'executionTime', 'statusCode', 'durationMs', 'success'],
    properties: {
      jobId: { type: 'string' },
      executionTime: { type: 'string', format: 'date-time' },
      statusCode: nullable('integer', { description: 'null when no answer came (timeout, refused, reset)' }),
      durationMs: { type: 'integer', minimum: 0 },
      success: { type: 'boolean' },
    },
  },
  Health: {
    type: 'object',
    required: ['status', 'uptimeSeconds', 'activeJobs', 'timestamp'],
    properties: {
      status: { const: 'OK' },
      uptimeSeconds: { type: 'number', minimum: 0 },
      activeJobs: { type: 'integer', minimum: 0 },
      timestamp: { type: 'string', format: 'date-time' },
    },
  },
  Readiness: {
    type: 'object',
    required: ['ready', 'checks'],
    properties: {
      ready: { type: 'boolean' },
      checks: {
        type: 'object',
        required: ['database', 'writes', 'engine'],
        properties: { database: { type: 'string' }, writes: { type: 'string' }, engine: { type: 'string' } },
      },
    },
  },
  Metrics: {
    type: 'object',
    description: 'The documented totals, then the engine’s own figures since start (fields may be added).',
    required: ['totalExecutions', 'successCount', 'failureCount', 'fires', 'fireLagMs', 'inFlight', 'queuedFires', 'writes', 'alerts', 'retention', 'subscriptions'],
    properties: {
      totalExecutions: { type: 'integer', minimum: 0 },
      successCount: { type: 'integer', minimum: 0 },
      failureCount: { type: 'integer', minimum: 0 },
      fires: { type: 'integer', minimum: 0 },
      fireLagMs: {
        type: 'object',
        required: ['p50', 'p99', 'max'],
        properties: { p50: { type: ['number', 'null'] }, p99: { type: ['number', 'null'] }, max: { type: ['number', 'null'] } },
      },
      inFlight: { type: 'integer', minimum: 0 },
      queuedFires: { type: 'integer', minimum: 0 },
      writes: { type: 'object' },
      alerts: { type: 'object' },
      retention: { type: 'object' },
      audit: {
        type: 'object',
        description: 'The self-audit of occurrences: unaccountedOccurrences (due, with neither an execution nor a skip record) must stay 0.',
        required: ['unaccountedOccurrences', 'passes', 'rounds', 'jobsAudited', 'backfillsRunning'],
        properties: { unaccountedOccurrences: { type: 'integer', minimum: 0 } },
      },
      subscriptions: { type: 'object', required: ['subscribers', 'droppedEvents', 'sharedSources'] },
    },
  },
};

/** What every route that needs a token may also answer. */
const guarded: Responses = {
  '401': failure('No token, or not a valid one (when API_TOKEN / API_READ_TOKEN are set)'),
  '503': failure('The database is unavailable; nothing was changed'),
};
const changing: Responses = {
  ...guarded,
  '400': failure('Bad input: the message names the field and the fix'),
  '403': failure('A read-only token cannot change anything'),
  '429': {
    ...failure('Too many changes for this token (MUTATION_RATE_PER_MINUTE)'),
    headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } },
  },
};
const jobId: ParameterObject = { name: 'jobId', in: 'path', required: true, schema: { type: 'string' } };
const updateJob = (operationId: string): OperationObject => ({
  operationId,
  summary: 'Update a job (any subset of its fields; alertWebhook: null removes it)',
  requestBody: { required: true, content: { 'application/json': { schema: ref('JobUpdate') } } },
  responses: {
    '200': json(
      { type: 'object', required: ['message', 'job'], properties: { message: { const: 'Job updated successfully' }, job: ref('Job') } },
      'The job as updated',
    ),
    '404': failure('No job with this id'),
    ...changing,
  },
});
const open: SecurityRequirementObject[] = [];

/** The OpenAPI 3.1 description of the REST routes, served at /openapi.json. */
export const openApiDocument: OpenAPIObject = {
  openapi: '3.1.0',
  info: {
    title: 'Zeitgeber REST API',
    version: '0.1.0',
    description: 'The REST compatibility routes. Errors are {"error": "<what is wrong>"}. GraphQL is served at /graphql.',
  },
  components: {
    schemas,
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API_TOKEN (read-write) or API_READ_TOKEN (read-only)' } },
  },
  security: [{ bearer: [] }],
  paths: {
    '/jobs': {
      post: {
        operationId: 'createJob',
        summary: 'Create a job',
        requestBody: { required: true, content: { 'application/json': { schema: ref('NewJob') } } },
        responses: {
          '201': json(
            {
              type: 'object',
              additionalProperties: false,
              required: ['jobId', 'nextExecutionTime'],
              properties: { jobId: { type: 'string' }, nextExecutionTime: nullable('string', { format: 'date-time' }) },
            },
            'The job was created',
          ),
          ...changing,
        },
      },
      get: { operationId: 'listJobs', summary: 'Every job', responses: { '200': json({ type: 'array', items: ref('Job') }, 'The jobs'), ...guarded } },
    },
    '/jobs/getAllJobs': {
      get: { operationId: 'getAllJobs', summary: 'Every job (the original path)', responses: { '200': json({ type: 'array', items: ref('Job') }, 'The jobs'), ...guarded } },
    },
    '/jobs/{jobId}': {
      parameters: [jobId],
      get: { operationId: 'getJob', summary: 'One job', responses: { '200': json(ref('Job'), 'The job'), '404': failure('No job with this id'), ...guarded } },
      post: updateJob('updateJob'),
      put: updateJob('replaceJobFields'),
    },
    '/jobs/{jobId}/executions': {
      parameters: [jobId],
      get: {
        operationId: 'latestExecutions',
        summary: 'The last 5 executions, newest first',
        responses: { '200': json({ type: 'array', maxItems: 5, items: ref('Execution') }, 'The executions'), '404': failure('No job with this id'), ...guarded },
      },
    },
    '/health': { get: { operationId: 'health', summary: 'Liveness', security: open, responses: { '200': json(ref('Health'), 'The service is up') } } },
    '/ready': {
      get: {
        operationId: 'ready',
        summary: 'Readiness: database, writes and fire lag',
        security: open,
        responses: { '200': json(ref('Readiness'), 'Ready'), '503': json(ref('Readiness'), 'Not ready; the checks say why') },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Metrics: JSON, or Prometheus text when asked with Accept: text/plain or application/openmetrics-text',
        security: [{}, { bearer: [] }],
        responses: {
          '200': {
            description: 'The figures (open unless METRICS_REQUIRE_TOKEN=1)',
            content: { 'application/json': media(ref('Metrics')), 'text/plain': media({ type: 'string' }) },
          },
          '401': failure('METRICS_REQUIRE_TOKEN=1 and no valid token'),
        },
      },
    },
    '/openapi.json': {
      get: { operationId: 'openApi', summary: 'This document', security: open, responses: { '200': json({ type: 'object' }, 'The OpenAPI document') } },
    },
  },
};
