import type { ReactNode } from 'react';
import { formatDuration } from '../../../utils/format-duration.ts';
import { ChoiceField } from './choice-field.tsx';
import { FormField } from './form-field.tsx';
import { DST_GAP_CHOICES, DST_OVERLAP_CHOICES, MISFIRE_CHOICES, OVERLAP_CHOICES } from './policy-choices.ts';
import { countCustomPolicies, POLICY_DEFAULTS, POLICY_FIELDS, POLICY_LIMITS, type PolicyField, type PolicyFormValues } from './policy-form-values.ts';

/** The id of the collapsible part, for the toggle's aria-controls. */
export const ADVANCED_ID = 'job-advanced';

interface AdvancedPoliciesProps {
  values: PolicyFormValues;
  open: boolean;
  onToggle: () => void;
  errorOf: (field: PolicyField) => string | undefined;
  onChange: <F extends PolicyField>(field: F, value: PolicyFormValues[F]) => void;
  onBlur: (field: PolicyField) => void;
}

type IntegerField = 'catchUpLimit' | 'catchUpWindowMs' | 'failingThreshold' | 'autoPauseAfter' | 'lagAlertMs';

/** A typed number of milliseconds in words ("= 1h 00m"), when it is one. */
function inWords(text: string): string {
  const ms = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(ms) && ms > 0 ? ` Now: ${formatDuration(ms)}.` : '';
}

/**
 * The job's policies, collapsed by default behind a disclosure button that says how many differ
 * from the defaults and whether one needs attention: misfires (and FIRE_ALL's catch-up limit and window), overlaps, DST gaps and
 * repeats, what counts as success, and the failure and lag alerts.
 */
export function AdvancedPolicies({ values, open, onToggle, errorOf, onChange, onBlur }: AdvancedPoliciesProps) {
  const custom = countCustomPolicies(values);
  const needsAttention = POLICY_FIELDS.some((field) => errorOf(field) !== undefined);

  const integerField = (field: IntegerField, label: string, hint: ReactNode, optional = false) => {
    const { min, max } = POLICY_LIMITS[field];
    return (
      <FormField id={`job-${field}`} label={label} optional={optional} hint={hint} error={errorOf(field)}>
        {(control) => (
          <input {...control} type="number" inputMode="numeric" min={min} max={max} step={1} value={values[field]} onChange={(event) => onChange(field, event.target.value)} onBlur={() => onBlur(field)} />
        )}
      </FormField>
    );
  };

  return (
    <div className="advanced">
      <h2 className="advanced__heading">
        <button type="button" className="advanced__toggle" aria-expanded={open} aria-controls={ADVANCED_ID} onClick={onToggle}>
          <span className="advanced__chevron" aria-hidden="true" />
          Advanced
          <span className="advanced__summary">
            Misfires, overlaps, DST, success, alerts · {custom === 0 ? 'all defaults' : `${custom} changed from the defaults`}
          </span>
          {needsAttention && <span className="advanced__attention">Check the fields marked in red</span>}
        </button>
      </h2>
      <div id={ADVANCED_ID} className="advanced__body" hidden={!open}>
        <section className="advanced__group" aria-labelledby="job-advanced-misfire">
          <h3 id="job-advanced-misfire">Missed occurrences</h3>
          <ChoiceField
            name="misfirePolicy"
            legend="When occurrences were missed (downtime, pause, engine behind)"
            choices={MISFIRE_CHOICES}
            value={values.misfirePolicy}
            defaultValue={POLICY_DEFAULTS.misfirePolicy}
            onChange={(value) => onChange('misfirePolicy', value)}
            error={errorOf('misfirePolicy')}
          />
          {values.misfirePolicy === 'FIRE_ALL' && (
            <div className="job-form__row">
              {integerField('catchUpLimit', 'Catch-up limit', `Most missed occurrences run when catching up; from ${POLICY_LIMITS.catchUpLimit.min} to ${POLICY_LIMITS.catchUpLimit.max}. Default ${POLICY_DEFAULTS.catchUpLimit}.`)}
              {integerField(
                'catchUpWindowMs',
                'Catch-up window (ms)',
                `Only occurrences missed this long before now run; from ${POLICY_LIMITS.catchUpWindowMs.min} (1 s) to ${POLICY_LIMITS.catchUpWindowMs.max} (7 days). Default ${POLICY_DEFAULTS.catchUpWindowMs} (1 hour).${inWords(values.catchUpWindowMs)}`,
              )}
            </div>
          )}
        </section>
        <section className="advanced__group" aria-labelledby="job-advanced-overlap">
          <h3 id="job-advanced-overlap">Overlapping runs</h3>
          <ChoiceField
            name="overlapPolicy"
            legend="When an occurrence is due while the previous call is still running"
            choices={OVERLAP_CHOICES}
            value={values.overlapPolicy}
            defaultValue={POLICY_DEFAULTS.overlapPolicy}
            onChange={(value) => onChange('overlapPolicy', value)}
            error={errorOf('overlapPolicy')}
          />
        </section>
        <section className="advanced__group" aria-labelledby="job-advanced-dst">
          <h3 id="job-advanced-dst">Daylight saving time</h3>
          <div className="job-form__row job-form__row--even">
            <ChoiceField
              name="dstGap"
              legend="A local time that is skipped (spring forward)"
              choices={DST_GAP_CHOICES}
              value={values.dstGap}
              defaultValue={POLICY_DEFAULTS.dstGap}
              onChange={(value) => onChange('dstGap', value)}
              error={errorOf('dstGap')}
            />
            <ChoiceField
              name="dstOverlap"
              legend="A local time that repeats (fall back)"
              choices={DST_OVERLAP_CHOICES}
              value={values.dstOverlap}
              defaultValue={POLICY_DEFAULTS.dstOverlap}
              onChange={(value) => onChange('dstOverlap', value)}
              error={errorOf('dstOverlap')}
            />
          </div>
        </section>
        <section className="advanced__group" aria-labelledby="job-advanced-success">
          <h3 id="job-advanced-success">What counts as success</h3>
          <div className="job-form__row">
            <FormField id="job-successCodes" label="Success status codes" hint={`Codes and ranges, e.g. 200-299,304 or 2xx. Default ${POLICY_DEFAULTS.successCodes}.`} error={errorOf('successCodes')}>
              {(control) => (
                <input {...control} className="mono" type="text" autoComplete="off" spellCheck={false} value={values.successCodes} onChange={(event) => onChange('successCodes', event.target.value)} onBlur={() => onBlur('successCodes')} />
              )}
            </FormField>
            <FormField
              id="job-successBodyPattern"
              label="Body must match"
              optional
              hint={'A regular expression the response body must match, e.g. "status":\\s*"ok". Empty (default): any body.'}
              error={errorOf('successBodyPattern')}
            >
              {(control) => (
                <input
                  {...control}
                  className="mono"
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  value={values.successBodyPattern}
                  onChange={(event) => onChange('successBodyPattern', event.target.value)}
                  onBlur={() => onBlur('successBodyPattern')}
                />
              )}
            </FormField>
          </div>
        </section>
        <section className="advanced__group" aria-labelledby="job-advanced-alerts">
          <h3 id="job-advanced-alerts">Failures and alerts</h3>
          <div className="job-form__row job-form__row--thirds">
            {integerField('failingThreshold', 'Failing after', `Failures in a row that mark the job failing and send a JOB_FAILING alert. Default ${POLICY_DEFAULTS.failingThreshold}.`)}
            {integerField('autoPauseAfter', 'Auto-pause after', 'Failures in a row after which the service pauses the job. Empty (default): never.', true)}
            {integerField('lagAlertMs', 'Lag alert above (ms)', `Fire lag that sends a JOB_LAGGING alert. Empty (default): never.${inWords(values.lagAlertMs)}`, true)}
          </div>
        </section>
      </div>
    </div>
  );
}
