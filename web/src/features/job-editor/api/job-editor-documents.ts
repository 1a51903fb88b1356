import { gql } from '@urql/core';

export type DeliveryType = 'ATLEAST_ONCE' | 'ATMOST_ONCE';
export type MisfirePolicy = 'FIRE_ONCE' | 'FIRE_ALL' | 'SKIP';
export type OverlapPolicy = 'ALLOW' | 'SKIP' | 'QUEUE_ONE';
export type DstGapPolicy = 'SHIFT' | 'SKIP';
export type DstOverlapPolicy = 'FIRST' | 'LAST' | 'BOTH';

/** How a job treats misfires, overlaps, DST transitions, responses and failures (the Job type's policy fields). */
export interface JobPolicyValues {
  misfirePolicy: MisfirePolicy;
  catchUpLimit: number;
  catchUpWindowMs: number;
  overlapPolicy: OverlapPolicy;
  dstGap: DstGapPolicy;
  dstOverlap: DstOverlapPolicy;
  successCodes: string;
  successBodyPattern: string | null;
  failingThreshold: number;
  autoPauseAfter: number | null;
  lagAlertMs: number | null;
}

/** The fields of CreateJobInput and UpdateJobInput (all optional in an update; null removes an optional one). */
export interface JobInput extends Partial<JobPolicyValues> {
  api?: string;
  schedule?: string;
  timezone?: string;
  type?: DeliveryType;
  alertWebhook?: string | null;
  timeoutMs?: number;
  maxAttempts?: number;
}

export interface EditableJob extends JobPolicyValues {
  id: string;
  api: string;
  schedule: string;
  timezone: string;
  type: DeliveryType;
  alertWebhook: string | null;
  timeoutMs: number;
  maxAttempts: number;
  description: string;
}

const EDITABLE_JOB_FIELDS = `
  id
  api
  schedule
  timezone
  type
  alertWebhook
  timeoutMs
  maxAttempts
  description
  misfirePolicy
  catchUpLimit
  catchUpWindowMs
  overlapPolicy
  dstGap
  dstOverlap
  successCodes
  successBodyPattern
  failingThreshold
  autoPauseAfter
  lagAlertMs
`;

export const EditableJobQuery = gql<{ job: EditableJob | null }, { id: string }>(`
  query EditableJob($id: ID!) {
    job(id: $id) {${EDITABLE_JOB_FIELDS}}
  }
`);

export const CreateJobMutation = gql<{ createJob: EditableJob }, { input: JobInput }>(`
  mutation CreateJob($input: CreateJobInput!) {
    createJob(input: $input) {${EDITABLE_JOB_FIELDS}}
  }
`);

export const UpdateJobMutation = gql<{ updateJob: EditableJob }, { id: string; input: JobInput }>(`
  mutation UpdateJob($id: ID!, $input: UpdateJobInput!) {
    updateJob(id: $id, input: $input) {${EDITABLE_JOB_FIELDS}}
  }
`);

/** SHIFTED: the local time does not exist that day (spring forward); REPEATED: it happens twice (fall back). */
export type DstMark = 'SHIFTED' | 'REPEATED';

export interface PreviewFire {
  at: string;
  /** Null when daylight saving time does not affect this fire. */
  dst: DstMark | null;
}

export interface SchedulePreviewResult {
  valid: boolean;
  error: string | null;
  description: string | null;
  fires: PreviewFire[];
  /** Things about the expression worth knowing, e.g. how day-of-month and day-of-week combine. */
  warnings: string[];
}

export interface SchedulePreviewVariables {
  expression: string;
  timezone: string;
  count: number;
  dstGap: DstGapPolicy;
  dstOverlap: DstOverlapPolicy;
}

export const SchedulePreviewQuery = gql<{ schedulePreview: SchedulePreviewResult }, SchedulePreviewVariables>(`
  query SchedulePreview($expression: String!, $timezone: String!, $count: Int!, $dstGap: DstGapPolicy, $dstOverlap: DstOverlapPolicy) {
    schedulePreview(expression: $expression, timezone: $timezone, count: $count, dstGap: $dstGap, dstOverlap: $dstOverlap) {
      valid
      error
      description
      fires {
        at
        dst
      }
      warnings
    }
  }
`);
