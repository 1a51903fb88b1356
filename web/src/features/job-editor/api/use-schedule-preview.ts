import { useMemo } from 'react';
import { useQuery } from 'urql';
import { useDebouncedValue } from '../../../hooks/use-debounced-value.ts';
import { describeError } from '../../../utils/graphql-errors.ts';
import { SchedulePreviewQuery, type DstGapPolicy, type DstOverlapPolicy, type PreviewFire } from './job-editor-documents.ts';

/** How long typing must pause before the expression is checked. */
export const PREVIEW_DEBOUNCE_MS = 300;
const PREVIEW_COUNT = 5;

/** How the job treats daylight saving transitions: the preview applies the same. */
export interface PreviewDstOptions {
  dstGap: DstGapPolicy;
  dstOverlap: DstOverlapPolicy;
}

export type SchedulePreviewState =
  | { status: 'empty' }
  | { status: 'checking' }
  | { status: 'valid'; description: string | null; fires: PreviewFire[]; warnings: string[] }
  | { status: 'invalid'; error: string }
  | { status: 'unavailable'; error: string };

/**
 * Checks a cron expression with the server as the user types: waits for a pause in typing, then
 * asks schedulePreview for the plain-words description, the next fires in `timezone` (marked
 * where daylight saving time shifts or repeats them, under the job's DST policies) and the
 * warnings about how the expression reads.
 */
export function useSchedulePreview(expression: string, timezone: string, dst: PreviewDstOptions): SchedulePreviewState {
  const { dstGap, dstOverlap } = dst;
  const request = useMemo(
    () => ({ expression: expression.trim(), timezone: timezone.trim() || 'UTC', count: PREVIEW_COUNT, dstGap, dstOverlap }),
    [expression, timezone, dstGap, dstOverlap],
  );
  const debounced = useDebouncedValue(request, PREVIEW_DEBOUNCE_MS);
  const [result] = useQuery({ query: SchedulePreviewQuery, variables: debounced, pause: debounced.expression === '' });

  if (request.expression === '') return { status: 'empty' };
  const answered = result.operation?.variables;
  const current =
    debounced === request &&
    answered?.expression === request.expression &&
    answered.timezone === request.timezone &&
    answered.dstGap === request.dstGap &&
    answered.dstOverlap === request.dstOverlap;
  if (!current || result.fetching) return { status: 'checking' };
  if (result.error) return { status: 'unavailable', error: describeError(result.error) };
  const preview = result.data?.schedulePreview;
  if (!preview) return { status: 'checking' };
  if (!preview.valid) return { status: 'invalid', error: preview.error ?? 'This is not a valid cron expression' };
  return { status: 'valid', description: preview.description, fires: preview.fires, warnings: preview.warnings };
}
