/** Every second: the sentinel jobs whose fires show when a server fires on time. */
export const EVERY_SECOND = '* * * * * *';

/**
 * An hourly schedule (`<second> <minute> * * * *`, UTC) for the `index`-th of many jobs that must
 * not fire for at least `quietMinutes` minutes after `now`: the minutes from the current one to
 * `quietMinutes` ahead are left out, and the others, with every second, are handed out in turn.
 */
export function quietSchedule(index: number, now: number, quietMinutes = 5): string {
  const minutes = 59 - quietMinutes;
  const currentMinute = new Date(now).getUTCMinutes();
  const minute = (currentMinute + quietMinutes + 1 + (index % minutes)) % 60;
  const second = Math.floor(index / minutes) % 60;
  return `${second} ${minute} * * * *`;
}

/**
 * An hourly schedule for the `index`-th of many jobs, spread evenly over the 3,600 seconds of the
 * hour, so that a few of them fire in every second of a run.
 */
export function spreadSchedule(index: number): string {
  const secondOfHour = index % 3_600;
  return `${secondOfHour % 60} ${Math.floor(secondOfHour / 60)} * * * *`;
}
