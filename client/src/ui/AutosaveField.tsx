import { Field, type FieldProps } from './Field';
import { SaveStatus } from './SaveStatus';
import { useAutosave, type AutosaveOptions } from './useAutosave';

type AutosaveFieldProps = Omit<FieldProps, 'value' | 'onChange' | 'error' | 'status' | 'name'> &
  AutosaveOptions & {
    /** Names the field in the form and its save-state element for tests. */
    name: string;
  };

/** A text field that saves itself while the person types and says how that went. */
export function AutosaveField({
  initial,
  delayMs,
  validate,
  skip,
  save,
  describeError,
  name,
  ...field
}: AutosaveFieldProps) {
  const { value, state, change } = useAutosave({ initial, delayMs, validate, skip, save, describeError });
  return (
    <Field
      {...field}
      name={name}
      value={value}
      onChange={(event) => change(event.target.value)}
      error={state.status === 'error' ? state.message : null}
      status={<SaveStatus state={state} testId={`${name}-save-status`} />}
    />
  );
}
