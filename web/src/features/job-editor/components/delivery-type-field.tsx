import type { DeliveryType } from '../api/job-editor-documents.ts';
import { ChoiceField, type Choice } from './choice-field.tsx';

const CHOICES: Choice<DeliveryType>[] = [
  { value: 'ATLEAST_ONCE', label: 'At least once', hint: 'Re-sent after a crash; the target de-duplicates with the Idempotency-Key header.' },
  { value: 'ATMOST_ONCE', label: 'At most once', hint: 'Never re-sent; after a crash the outcome is recorded as unknown.' },
];

/** The delivery guarantee, as two described radio choices. */
export function DeliveryTypeField({ value, onChange, error }: { value: DeliveryType; onChange: (value: DeliveryType) => void; error?: string | undefined }) {
  return <ChoiceField name="type" legend="Delivery" choices={CHOICES} value={value} onChange={onChange} error={error} />;
}
