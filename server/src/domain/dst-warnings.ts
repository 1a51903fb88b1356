import { compileSchedule, type CompiledSchedule } from './cron.ts';
import { zoneOffsets, type OffsetTransition } from './zone-offsets.ts';

const YEAR = 366 * 86_400_000;
/** Marked fires counted per transition; past this a warning says "more than". A preview stays fast. */
const COUNT_LIMIT = 100;

/** A local date and time as "YYYY-MM-DD HH:MM" from a wall-clock time (local time written as UTC). */
const wallText = (wall: number) => new Date(wall).toISOString().slice(0, 16).replace('T', ' ');
const wallClock = (wall: number) => new Date(wall).toISOString().slice(11, 16);
const firesText = (count: number) => (count > COUNT_LIMIT ? `more than ${COUNT_LIMIT} fires` : `${count} fire${count === 1 ? '' : 's'}`);
/** "1 fire falls at a skipped local time and runs" or "2 fires fall at skipped local times and run". */
const atSkipped = (count: number, verb: string, verbs: string) =>
  count === 1 ? `1 fire falls at a skipped local time and ${verbs}` : `${firesText(count)} fall at skipped local times and ${verb}`;

/** How many fires of `schedule` within [fromMs, toMs) DST marked `mark`, counted up to just past COUNT_LIMIT. */
function marked(schedule: CompiledSchedule, fromMs: number, toMs: number, mark: 'SHIFTED' | 'REPEATED'): number {
  let count = 0;
  const cursor = schedule.walkFrom(fromMs - 1);
  for (let at = cursor.next(); at !== null && at < toMs && count <= COUNT_LIMIT; at = cursor.next()) if (schedule.dstMark(at) === mark) count++;
  return count;
}

function gapWarning(schedule: CompiledSchedule, transition: OffsetTransition): string | null {
  const gap = transition.after - transition.before;
  const skipped = `On ${wallText(transition.at + transition.before).slice(0, 10)} the clocks in ${schedule.timezone} jump from ${wallClock(transition.at + transition.before)} to ${wallClock(transition.at + transition.after)}`;
  if (schedule.dst.dstGap === 'SHIFT') {
    const shifted = marked(schedule, transition.at, transition.at + gap, 'SHIFTED');
    return shifted === 0 ? null : `${skipped}: ${atSkipped(shifted, 'run', 'runs')} ${gap / 60_000} minutes later on the clock (dstGap SHIFT).`;
  }
  const wouldShift = compileSchedule(schedule.expression, schedule.timezone, { dstGap: 'SHIFT', dstOverlap: schedule.dst.dstOverlap });
  const lost = marked(wouldShift, transition.at, transition.at + gap, 'SHIFTED');
  return lost === 0 ? null : `${skipped}: ${atSkipped(lost, 'do not run', 'does not run')} (dstGap SKIP).`;
}

function overlapWarning(schedule: CompiledSchedule, transition: OffsetTransition): string | null {
  const repeat = transition.before - transition.after;
  const repeated = marked(schedule, transition.at - repeat, transition.at + repeat, 'REPEATED');
  if (repeated === 0) return null;
  const rule = schedule.followsElapsedTime ? 'the hour field is *, so it follows elapsed time through both passes' : `dstOverlap ${schedule.dst.dstOverlap}`;
  return `On ${wallText(transition.at + transition.after).slice(0, 10)} the clocks in ${schedule.timezone} go back from ${wallClock(transition.at + transition.before)} to ${wallClock(transition.at + transition.after)}: ${firesText(repeated)} ${repeated === 1 ? 'runs' : 'run'} in the repeated time (${rule}).`;
}

/**
 * Plain sentences on what the DST transitions of the coming year do to a schedule: fires moved by
 * a skipped hour, dropped with it, or run in a repeated hour, and which rule decided.
 */
export function dstWarnings(schedule: CompiledSchedule, fromMs: number): string[] {
  const warnings: string[] = [];
  for (const transition of zoneOffsets(schedule.timezone).transitionsBetween(fromMs, fromMs + YEAR)) {
    const gap = transition.after > transition.before;
    // An elapsed-time schedule loses nothing to a skipped hour: those local times never occur.
    if (gap && schedule.followsElapsedTime) continue;
    const warning = gap ? gapWarning(schedule, transition) : overlapWarning(schedule, transition);
    if (warning !== null) warnings.push(warning);
  }
  return warnings;
}
