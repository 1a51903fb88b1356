import { describe, expect, it } from 'vitest';
import { graphql, graphqlData } from './graphql-helpers.ts';
import { useTestApp } from './helpers.ts';

const FIELDS = `schedule timezone api type alertWebhook timeoutMs maxAttempts misfirePolicy catchUpLimit catchUpWindowMs
  overlapPolicy dstGap dstOverlap successCodes successBodyPattern failingThreshold autoPauseAfter lagAlertMs status`;
const CREATE_MANY = `mutation ($inputs: [CreateJobInput!]!) { createJobs(inputs: $inputs) { ${FIELDS} } }`;
const CREATE_ONE = `mutation ($input: CreateJobInput!) { createJob(input: $input) { ${FIELDS} } }`;
const JOB_COUNT = '{ jobs(first: 1) { totalCount } }';

/** Inputs that use every kind of field: enums, integers, explicit nulls and defaults. */
const INPUTS = [
  { schedule: '0 5 * * * *', api: 'http://127.0.0.1:9/plain' },
  {
    schedule: '30 */10 9-17 * * MON-FRI',
    api: 'http://127.0.0.1:9/full',
    type: 'ATMOST_ONCE',
    timezone: 'Europe/Berlin',
    alertWebhook: 'http://127.0.0.1:9/alerts',
    timeoutMs: 2_500,
    maxAttempts: 1,
    misfirePolicy: 'FIRE_ALL',
    catchUpLimit: 7,
    catchUpWindowMs: 60_000,
    overlapPolicy: 'QUEUE_ONE',
    dstGap: 'SKIP',
    dstOverlap: 'BOTH',
    successCodes: '200-204',
    successBodyPattern: 'ok',
    failingThreshold: 2,
    autoPauseAfter: 9,
    lagAlertMs: 1_000,
  },
  { schedule: '0 0 * * *', api: 'http://127.0.0.1:9/nulls', timezone: null, alertWebhook: null, autoPauseAfter: null, lagAlertMs: null },
];

describe('createJobs input lists', () => {
  const server = useTestApp();

  const jobCount = async (): Promise<number> => (await graphqlData(server.app.url, JOB_COUNT)).jobs.totalCount;

  it('makes the same jobs from a list as from the same inputs one at a time', async () => {
    const batch = (await graphqlData(server.app.url, CREATE_MANY, { inputs: INPUTS })).createJobs;
    const single = [];
    for (const input of INPUTS) single.push((await graphqlData(server.app.url, CREATE_ONE, { input })).createJob);
    expect(batch).toEqual(single);
    expect(batch[0]).toMatchObject({ timezone: 'UTC', type: 'ATLEAST_ONCE', maxAttempts: 3, alertWebhook: null });
    expect(batch[2]).toMatchObject({ timezone: 'UTC', autoPauseAfter: null, lagAlertMs: null });
  });

  it('creates two lists given as two variables of one operation', async () => {
    const before = await jobCount();
    const data = await graphqlData(
      server.app.url,
      `mutation ($first: [CreateJobInput!]!, $second: [CreateJobInput!]!) {
        a: createJobs(inputs: $first) { api }
        b: createJobs(inputs: $second) { api }
      }`,
      { first: INPUTS.slice(0, 2), second: INPUTS.slice(2) },
    );
    expect(data.a.map((job: { api: string }) => job.api)).toEqual(['http://127.0.0.1:9/plain', 'http://127.0.0.1:9/full']);
    expect(data.b.map((job: { api: string }) => job.api)).toEqual(['http://127.0.0.1:9/nulls']);
    expect(await jobCount()).toBe(before + 3);
  });

  it.each([
    ['an unknown field', { extra: 1 }, /^Variable "\$inputs" got invalid value .* at "inputs\[1\]"; Field "extra" is not defined by type "CreateJobInput"\.$/],
    ['a string for an integer', { timeoutMs: '5000' }, /^Variable "\$inputs" got invalid value "5000" at "inputs\[1\]\.timeoutMs"; Int cannot represent non-integer value: "5000"$/],
    ['an unknown enum value', { type: 'SOMETIMES' }, /^Variable "\$inputs" got invalid value "SOMETIMES" at "inputs\[1\]\.type"; Value "SOMETIMES" does not exist in "DeliveryType" enum\.$/],
    ['a null required field', { api: null }, /^Variable "\$inputs" got invalid value null at "inputs\[1\]\.api"; Expected non-nullable type "String!" not to be null\.$/],
  ])('answers GraphQL’s own error for %s, and creates nothing', async (_name, change, message) => {
    const before = await jobCount();
    const inputs = [INPUTS[0], { ...INPUTS[0], ...change }];
    const result = await graphql(server.app.url, CREATE_MANY, { inputs });
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toMatch(message);
    expect(await jobCount()).toBe(before);
  });

  it('keeps the service’s validation errors, with the input’s index and field', async () => {
    const before = await jobCount();
    const inputs = [INPUTS[0], INPUTS[1], { ...INPUTS[0], timeoutMs: 5 }];
    const result = await graphql(server.app.url, CREATE_MANY, { inputs });
    expect(result.errors?.[0]).toMatchObject({
      message: 'inputs[2]: "timeoutMs" must be an integer between 100 and 600000, got number',
      extensions: { code: 'VALIDATION', field: 'inputs[2].timeoutMs' },
    });
    expect(await jobCount()).toBe(before);
  });

  it('treats a client input shaped like a stand-in list as an ordinary input', async () => {
    const result = await graphql(server.app.url, CREATE_MANY, { inputs: [{ schedule: '\u0000not-a-token', api: 'http://127.0.0.1:9/x' }] });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION', field: 'inputs[0].schedule' });
  });
});
