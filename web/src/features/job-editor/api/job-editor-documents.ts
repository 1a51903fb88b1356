import { gql } from '@urql/core';

export type DeliveryType = 'ATLEAST_ONCE' | 'ATMOST_ONCE';

/** The fields of CreateJobInput and UpdateJobInput (all optional in an update). */
export interface JobInput {
  api?: string;
  schedule?: string;
  timezone?: string;
  type?: DeliveryType;
  alertWebhook?: string | null;
  timeoutMs?: number;
  maxAttempts?: number;
}

export interface EditableJob {
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

export interface SchedulePreviewResult {
  valid: boolean;
  error: string | null;
  description: string | null;
  nextFireTimes: string[];
}

export const SchedulePreviewQuery = gql<{ schedulePreview: SchedulePreviewResult }, { expression: string; timezone: string; count: number }>(`
  query SchedulePreview($expression: String!, $timezone: String!, $count: Int!) {
    schedulePreview(expression: $expression, timezone: $timezone, count: $count) {
      valid
      error
      description
      nextFireTimes
    }
  }
`);
