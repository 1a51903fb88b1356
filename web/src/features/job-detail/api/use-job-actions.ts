import { useState } from 'react';
import { useMutation } from 'urql';
import { describeError } from '../../../utils/graphql-errors.ts';
import { DeleteJobMutation, PauseJobMutation, ResumeJobMutation, TriggerJobMutation } from './job-detail-documents.ts';

export type JobAction = 'pause' | 'resume' | 'trigger' | 'delete';

/** What the last action did, in words for a status line. */
export interface ActionNotice {
  kind: 'done' | 'failed';
  text: string;
}

const DONE: Record<JobAction, string> = {
  pause: 'Paused: no more fires until it is resumed.',
  resume: 'Resumed: the schedule continues from now.',
  trigger: 'Run started: it appears in the history below.',
  delete: 'Deleted.',
};

/** Pause, resume, run now and delete a job, with a busy flag and a notice of the outcome. */
export function useJobActions(jobId: string) {
  const [, pause] = useMutation(PauseJobMutation);
  const [, resume] = useMutation(ResumeJobMutation);
  const [, trigger] = useMutation(TriggerJobMutation);
  const [, remove] = useMutation(DeleteJobMutation);
  const [busy, setBusy] = useState<JobAction | null>(null);
  const [notice, setNotice] = useState<ActionNotice | null>(null);

  async function run(action: JobAction): Promise<boolean> {
    setBusy(action);
    setNotice(null);
    const mutate = { pause, resume, trigger, delete: remove }[action];
    const result = await mutate({ id: jobId });
    setBusy(null);
    setNotice(result.error ? { kind: 'failed', text: describeError(result.error) } : { kind: 'done', text: DONE[action] });
    return !result.error;
  }

  return { busy, notice, run };
}
