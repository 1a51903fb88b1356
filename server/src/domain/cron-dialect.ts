import { InvalidScheduleError } from './errors.ts';

/**
 * Zeitgeber's cron dialect, which is cron-parser's: seconds first (second minute hour
 * day-of-month month day-of-week), or the classic five fields with the second fixed at 0; ranges,
 * lists, steps, names, `?` for "any", `L` (last day of the month, or `5L` the last Friday) and `#`
 * (`FRI#2`, the second Friday). Not supported: `W` (nearest weekday), `H` (hashed values) and a
 * year field. Other schedulers read some of these expressions differently; dialectWarnings says
 * where.
 */
const FIELD_LAYOUTS = '6 fields (second minute hour day-of-month month day-of-week) or 5 (minute hour day-of-month month day-of-week)';

/** The fields of an expression, whitespace-separated; none for an alias such as @daily. */
function fieldsOf(trimmed: string): string[] {
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

/**
 * Refuses, with a message that says why and what to write instead, what cron-parser would misread
 * or cannot read: a wrong number of fields, a year, `W` and `H`. cron-parser checks the rest.
 */
export function checkDialect(expression: string, trimmed: string): void {
  if (trimmed.startsWith('@')) return;
  const fields = fieldsOf(trimmed);
  const refuse = (reason: string) => {
    throw new InvalidScheduleError('schedule', `schedule "${expression}" ${reason}`);
  };
  if (fields.length === 7) refuse(`has 7 fields; the seventh field (year) is not supported: use ${FIELD_LAYOUTS}`);
  if (fields.length !== 5 && fields.length !== 6) refuse(`has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected ${FIELD_LAYOUTS}`);
  if (fields.length === 6 && /\d{4}/.test(fields[5]!)) {
    refuse(
      'has a year in its sixth field, which is day-of-week here (seconds come first); AWS EventBridge puts the year sixth, after minute hour day-of-month month day-of-week. A year field is not supported: drop it and add a seconds field in front',
    );
  }
  // WED and THU are the only names with a W or an H in them.
  const withoutNames = trimmed.replace(/wed|thu/gi, '');
  if (/w/i.test(withoutNames)) refuse('uses W (nearest weekday), which is not supported: list the days, or use L for the last day of the month');
  if (/h/i.test(withoutNames)) refuse('uses H (a hashed value), which is not supported: write the value itself');
}

const isAny = (field: string) => field === '*' || field === '?';

/**
 * Plain sentences on where a valid expression would mean something else in another common
 * dialect (Vixie cron, Quartz, AWS EventBridge), so that an expression copied from elsewhere is
 * not silently misread.
 */
export function dialectWarnings(trimmed: string): string[] {
  if (trimmed.startsWith('@')) return [];
  const fields = fieldsOf(trimmed);
  const warnings: string[] = [];
  const [dayOfMonth, dayOfWeek] = fields.length === 5 ? [fields[2]!, fields[4]!] : [fields[3]!, fields[5]!];
  if (fields.length === 5) {
    warnings.push(
      'Five fields are read as minute hour day-of-month month day-of-week, firing at second 0 of each matching minute; put a seconds field first to choose another second.',
    );
  }
  if (fields.length === 6 && isAny(fields[5]!)) {
    warnings.push(
      `Six fields are read here as second minute hour day-of-month month day-of-week. AWS EventBridge reads six fields as minute hour day-of-month month day-of-week year, so there this expression would mean something else (its last field "${fields[5]}" would be the year).`,
    );
  }
  if (!isAny(dayOfMonth) && !isAny(dayOfWeek)) {
    warnings.push(
      `Day-of-month (${dayOfMonth}) and day-of-week (${dayOfWeek}) are both restricted: it fires on every day that matches either one, as Vixie cron does, not only on days that match both; Quartz refuses such an expression.`,
    );
  }
  if (fields.length === 6 && /\d/.test(dayOfWeek.replace(/#\d+/g, ''))) {
    warnings.push(
      'Day-of-week numbers run 0-7 here, with 0 and 7 both Sunday and 1 Monday; Quartz numbers the days 1-7 from Sunday (1 = Sunday, 7 = Saturday), so there the same numbers mean the day before. Names (MON-FRI) mean the same everywhere.',
    );
  }
  return warnings;
}
