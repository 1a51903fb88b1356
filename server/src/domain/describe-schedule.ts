import cronstrue from 'cronstrue';

/** Descriptions remembered at most; the oldest goes first. Jobs share few expressions. */
const REMEMBERED = 1_000;
const descriptions = new Map<string, string>();

/**
 * The schedule in plain words, e.g. "Every 5 seconds"; the expression itself if cronstrue cannot
 * say. Remembered per expression: cronstrue takes tens of microseconds per call, and a page of 50
 * jobs asks for it 50 times, mostly for the same few expressions.
 */
export function describeSchedule(expression: string): string {
  let description = descriptions.get(expression);
  if (description === undefined) {
    description = describe(expression);
    if (descriptions.size >= REMEMBERED) descriptions.delete(descriptions.keys().next().value!);
    descriptions.set(expression, description);
  }
  return description;
}

function describe(expression: string): string {
  try {
    return cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return expression;
  }
}
