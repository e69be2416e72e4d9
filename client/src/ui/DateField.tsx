import { useEffect, useState } from 'react';
import { datePattern, formatIsoDay, parseDay, useDateFormat } from './dates';
import { Field } from './Field';

/**
 * A calendar day typed in the organization's date format. A native date input writes the day in
 * the browser's locale instead, which contradicts every other date on the page. `value` and
 * `onChange` use YYYY-MM-DD ('' for none); the change is made when the field is left or Enter is
 * pressed, and a day that does not exist is shown as an error at the field instead.
 */
export function DateField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (day: string) => void;
}) {
  const format = useDateFormat();
  const pattern = datePattern(format);
  const [text, setText] = useState(() => formatIsoDay(value, format));
  const [error, setError] = useState<string | null>(null);

  // A change from outside (Clear filters, the browser's back button) replaces what was typed.
  useEffect(() => {
    setText(formatIsoDay(value, format));
    setError(null);
  }, [value, format]);

  function commit() {
    const day = text.trim() ? parseDay(text, format) : '';
    if (day === null) {
      setError(`Enter a date as ${pattern}, e.g. ${formatIsoDay('2026-01-31', format)}.`);
      return;
    }
    setError(null);
    if (day !== value) onChange(day);
    else setText(formatIsoDay(day, format));
  }

  return (
    <Field
      label={label}
      hint={pattern}
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      value={text}
      error={error}
      onChange={(event) => setText(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        // Enter applies this date alone rather than submitting the form around it.
        if (event.key === 'Enter') {
          event.preventDefault();
          commit();
        }
      }}
    />
  );
}
