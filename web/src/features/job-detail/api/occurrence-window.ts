import type { AuditWindow } from './audit-documents.ts';

export type WindowPreset = 'LAST_HOUR' | 'LAST_DAY' | 'CUSTOM';

/** The window as the form holds it: a preset, or two `datetime-local` values in the browser's zone. */
export interface WindowChoice {
  preset: WindowPreset;
  customFrom: string;
  customTo: string;
}

const PRESET_MS: Record<Exclude<WindowPreset, 'CUSTOM'>, number> = { LAST_HOUR: 3_600_000, LAST_DAY: 24 * 3_600_000 };

/** A local date and time as a `datetime-local` input shows it, to the minute. */
export function toLocalInput(ms: number): string {
  const date = new Date(ms);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The instants a window choice stands for at `now`: a preset ends now; a custom window is read in
 * the browser's zone and must start before it ends.
 */
export function resolveWindow(choice: WindowChoice, now: number): { window: AuditWindow } | { error: string } {
  if (choice.preset !== 'CUSTOM') return { window: { from: new Date(now - PRESET_MS[choice.preset]).toISOString(), to: new Date(now).toISOString() } };
  if (choice.customFrom === '' || choice.customTo === '') return { error: 'Enter when the window starts and ends' };
  const from = new Date(choice.customFrom).getTime();
  const to = new Date(choice.customTo).getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) return { error: 'Enter the start and end as dates and times' };
  if (from >= to) return { error: 'The window must start before it ends' };
  return { window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } };
}
