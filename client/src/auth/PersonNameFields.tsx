import { LIMITS } from '@gatehouse/shared';
import { Field, type FieldProps } from '../ui/Field';

type Bound = Pick<FieldProps, 'name' | 'value' | 'onChange' | 'error'>;

/** First and last name side by side, as every form that creates an account asks for them. */
export function PersonNameFields({ firstName, lastName }: { firstName: Bound; lastName: Bound }) {
  return (
    <div className="form-row">
      <Field label="First name" autoComplete="given-name" maxLength={LIMITS.nameMaxLength} autoFocus {...firstName} />
      <Field label="Last name" autoComplete="family-name" maxLength={LIMITS.nameMaxLength} {...lastName} />
    </div>
  );
}
