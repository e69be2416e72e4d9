import { useEffect, useState, type ChangeEvent } from 'react';
import { formErrors, noFormErrors, type FormErrors } from './formErrors';

/**
 * The values and errors of a form of text fields. Editing a field clears its message; the others
 * stay until the next submit. A submit that finds errors moves focus to the first field it marked.
 */
export function useForm<F extends string>(initial: Record<F, string>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState(noFormErrors<F>());
  const [checked, setChecked] = useState(0);

  // Runs after a check only, so focus never jumps while the user edits.
  useEffect(() => {
    if (checked === 0) return;
    const marked = new Set(Object.keys(errors.fields));
    const fields = document.querySelectorAll<HTMLElement>('[aria-invalid="true"][name]');
    [...fields].find((field) => marked.has(field.getAttribute('name') ?? ''))?.focus();
  }, [checked]);

  const bind = (field: F) => ({
    name: field,
    value: values[field],
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      setValues((previous) => ({ ...previous, [field]: event.target.value }));
      setErrors((previous) => {
        if (!previous.fields[field]) return previous;
        const fields = { ...previous.fields };
        delete fields[field];
        return { ...previous, fields };
      });
    },
    error: errors.fields[field],
  });

  /** Shows `messages` at the fields left blank; true when none is. */
  function checkRequired(messages: Partial<Record<F, string>>): boolean {
    const missing = Object.entries(messages).filter(([field]) => !values[field as F].trim());
    setErrors(noFormErrors(Object.fromEntries(missing) as FormErrors<F>['fields']));
    setChecked((count) => count + 1);
    return missing.length === 0;
  }

  /** Shows a failed operation's errors at the fields it names (or above the form). */
  function showError(error: unknown) {
    setErrors(formErrors(error, Object.keys(initial) as F[]));
    setChecked((count) => count + 1);
  }

  return {
    values,
    errors,
    bind,
    checkRequired,
    showError,
    setFieldError: (field: F, message: string) =>
      setErrors((previous) => ({ ...previous, fields: { ...previous.fields, [field]: message } })),
    reset: () => {
      setValues(initial);
      setErrors(noFormErrors());
    },
  };
}
