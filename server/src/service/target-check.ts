import { ValidationError } from '../domain/errors.ts';
import type { JobSpec } from '../domain/job-spec.ts';
import type { TargetGuard } from '../engine/target-guard.ts';

/** A URL a job will send to, and the input field that set it. */
export interface TargetField {
  field: string;
  url: string;
}

/**
 * Checks the URLs a change sets against TARGET_POLICY, after resolving their hosts (each distinct
 * host once); throws a ValidationError naming the first refused field. The same policy is checked
 * again on every connection, so a host that resolves differently later is still refused then.
 */
export type TargetCheck = (targets: readonly TargetField[]) => Promise<void>;

export function createTargetCheck(guard: TargetGuard): TargetCheck {
  return async (targets) => {
    const byUrl = new Map<string, Promise<string | null>>();
    const refusals = await Promise.all(
      targets.map(({ url }) => {
        let refusal = byUrl.get(url);
        if (!refusal) {
          refusal = guard.refusalOf(url);
          byUrl.set(url, refusal);
        }
        return refusal;
      }),
    );
    const index = refusals.findIndex((refusal) => refusal !== null);
    if (index === -1) return;
    const { field } = targets[index]!;
    const dot = field.lastIndexOf('.');
    const message = `"${field.slice(dot + 1)}" ${refusals[index]}`;
    throw new ValidationError(field, dot === -1 ? message : `${field.slice(0, dot)}: ${message}`);
  };
}

/**
 * The URLs of `spec` to check: all of them for a new job, only the ones that differ from `before`
 * for an update. `prefix` names the input in a batch (`inputs[3].`).
 */
export function targetsOf(spec: JobSpec, before: JobSpec | null = null, prefix = ''): TargetField[] {
  const targets: TargetField[] = [];
  if (spec.api !== before?.api) targets.push({ field: `${prefix}api`, url: spec.api });
  if (spec.alertWebhook !== null && spec.alertWebhook !== before?.alertWebhook) {
    targets.push({ field: `${prefix}alertWebhook`, url: spec.alertWebhook });
  }
  return targets;
}
