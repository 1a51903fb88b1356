/** One option of a choice field, with a short sentence on what it does. */
export interface Choice<T extends string> {
  value: T;
  label: string;
  hint: string;
}

interface ChoiceFieldProps<T extends string> {
  /** The input name; the error's id is `job-<name>-error`. */
  name: string;
  legend: string;
  choices: readonly Choice<T>[];
  value: T;
  onChange: (value: T) => void;
  error?: string | undefined;
  /** The server's default: its label says so. */
  defaultValue?: T;
}

/** A described radio choice: each option with what it does, the default marked, the error beneath. */
export function ChoiceField<T extends string>({ name, legend, choices, value, onChange, error, defaultValue }: ChoiceFieldProps<T>) {
  const errorId = `job-${name}-error`;
  return (
    <fieldset className={`field choice-group${error === undefined ? '' : ' field--invalid'}`} aria-describedby={error === undefined ? undefined : errorId}>
      <legend className="field__label">{legend}</legend>
      {choices.map((choice) => (
        <label key={choice.value} className="choice">
          <input type="radio" name={name} value={choice.value} checked={value === choice.value} onChange={() => onChange(choice.value)} />
          <span>
            <span className="choice__label">
              {choice.label}
              {choice.value === defaultValue && <span className="choice__default"> (default)</span>}
            </span>
            <span className="choice__hint">{choice.hint}</span>
          </span>
        </label>
      ))}
      {error !== undefined && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
