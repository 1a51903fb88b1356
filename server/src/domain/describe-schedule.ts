import cronstrue from 'cronstrue';

/** The schedule in plain words, e.g. "Every 5 seconds"; the expression itself if cronstrue cannot say. */
export function describeSchedule(expression: string): string {
  try {
    return cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return expression;
  }
}
