import type { DstGapPolicy, DstOverlapPolicy, MisfirePolicy, OverlapPolicy } from '../api/job-editor-documents.ts';
import type { Choice } from './choice-field.tsx';

export const MISFIRE_CHOICES: readonly Choice<MisfirePolicy>[] = [
  { value: 'FIRE_ONCE', label: 'Run the latest once', hint: 'After downtime or a pause, one run stands in for all the missed occurrences; the others are recorded as skipped.' },
  { value: 'FIRE_ALL', label: 'Run each missed one', hint: 'Every occurrence missed within the catch-up window runs, up to the catch-up limit; older ones are recorded as skipped.' },
  { value: 'SKIP', label: 'Skip them', hint: 'Missed occurrences are recorded as skipped; the schedule goes on with the next one.' },
];

export const OVERLAP_CHOICES: readonly Choice<OverlapPolicy>[] = [
  { value: 'ALLOW', label: 'Run alongside', hint: 'An occurrence runs even while the previous call is still in flight.' },
  { value: 'SKIP', label: 'Skip it', hint: 'An occurrence due while the previous call is in flight is recorded as skipped.' },
  { value: 'QUEUE_ONE', label: 'Queue one', hint: 'It runs once the previous call settles; at most one waits, further ones are skipped.' },
];

export const DST_GAP_CHOICES: readonly Choice<DstGapPolicy>[] = [
  { value: 'SHIFT', label: 'Shift', hint: 'A local time that does not exist when clocks spring forward (02:30) runs at the shifted instant (03:30).' },
  { value: 'SKIP', label: 'Skip', hint: 'That fire does not happen on that day; it is recorded as skipped.' },
];

export const DST_OVERLAP_CHOICES: readonly Choice<DstOverlapPolicy>[] = [
  { value: 'FIRST', label: 'First', hint: 'A local time that happens twice when clocks fall back runs on its first pass.' },
  { value: 'LAST', label: 'Last', hint: 'It runs on its second pass only.' },
  { value: 'BOTH', label: 'Both', hint: 'It runs on both passes, an hour apart.' },
];
