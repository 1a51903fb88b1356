import { TRIGGER_LABELS, type ExecutionTrigger } from '../utils/execution-labels.ts';

/** Why an execution ran, in a word, with what that means in the tooltip; "attempt n" for a retry. */
export function TriggerLabel({ trigger, attempt }: { trigger: ExecutionTrigger; attempt: number }) {
  const { label, explanation } = TRIGGER_LABELS[trigger];
  return (
    <>
      <span className={`trigger trigger--${trigger.toLowerCase().replace('_', '-')}`} title={explanation}>
        {label}
      </span>
      {attempt > 1 && <span className="trigger__attempt"> · attempt {attempt}</span>}
    </>
  );
}
