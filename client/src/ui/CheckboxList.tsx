import type { ReactNode } from 'react';

export interface CheckboxOption {
  value: string;
  label: ReactNode;
  description?: ReactNode;
}

/** A titled set of checkboxes over a set of chosen values. */
export function CheckboxList({
  legend,
  options,
  selected,
  onChange,
  empty,
}: {
  legend: string;
  options: readonly CheckboxOption[];
  selected: ReadonlySet<string>;
  onChange: (selected: ReadonlySet<string>) => void;
  /** Shown when there is nothing to choose from. */
  empty: ReactNode;
}) {
  function toggle(value: string, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(value);
    else next.delete(value);
    onChange(next);
  }
  return (
    <fieldset className="scope-group">
      <legend>{legend}</legend>
      {options.length === 0 ? (
        <p className="field-hint">{empty}</p>
      ) : (
        options.map((option) => (
          <label key={option.value} className="scope-option">
            <input
              type="checkbox"
              checked={selected.has(option.value)}
              onChange={(event) => toggle(option.value, event.target.checked)}
            />
            <span>
              {option.label}
              {option.description && <span className="scope-description">{option.description}</span>}
            </span>
          </label>
        ))
      )}
    </fieldset>
  );
}
