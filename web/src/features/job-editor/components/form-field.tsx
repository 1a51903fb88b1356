import type { ReactNode } from 'react';

/** The attributes that tie an input to its label, hint and error. */
export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

interface FormFieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  children: (control: FieldControlProps) => ReactNode;
  /** Shown under the input, after the hint (e.g. a live preview). */
  after?: ReactNode;
}

/** A labelled input with its hint and, when there is one, its error right beneath it. */
export function FormField({ id, label, hint, error, optional = false, children, after }: FormFieldProps) {
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const errorId = error === undefined ? undefined : `${id}-error`;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error === undefined ? '' : ' field--invalid'}`}>
      <label className="field__label" htmlFor={id}>
        {label}
        {optional && <span className="field__optional"> (optional)</span>}
      </label>
      {children({ id, 'aria-describedby': describedBy, ...(error === undefined ? {} : { 'aria-invalid': true as const }) })}
      {error !== undefined && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
      {hint !== undefined && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {after}
    </div>
  );
}
