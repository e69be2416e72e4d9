import type { FormEvent, ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { LIMITS } from '@gatehouse/shared';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Field, type FieldProps } from '../ui/Field';
import { AuthLayout } from './AuthLayout';
import { PersonNameFields } from './PersonNameFields';

type Bound = Pick<FieldProps, 'name' | 'value' | 'onChange' | 'error'>;

/**
 * The sign-up page's frame: names, whatever the way in asks for (`children`: email and password,
 * or nothing after a provider vouched for the person), and the new organization's name.
 */
export function SignUpFrame(props: {
  subtitle: string;
  onSubmit: (event: FormEvent) => void;
  formError: string | null | undefined;
  firstName: Bound;
  lastName: Bound;
  organizationName: Bound;
  busy: boolean;
  children?: ReactNode;
  after?: ReactNode;
}) {
  return (
    <AuthLayout
      title="Create your account"
      subtitle={props.subtitle}
      footer={
        <>
          Already have an account? <Link to="/signin">Sign in</Link>
        </>
      }
    >
      <form className="form" onSubmit={props.onSubmit} noValidate>
        {props.formError && <Alert tone="error">{props.formError}</Alert>}
        <PersonNameFields firstName={props.firstName} lastName={props.lastName} />
        {props.children}
        <Field
          label="Organization name"
          autoComplete="organization"
          maxLength={LIMITS.organizationNameMaxLength}
          hint="Usually your company or team. You can create more organizations later."
          {...props.organizationName}
        />
        <Button variant="primary" type="submit" busy={props.busy} className="button-block">
          Create account
        </Button>
        {props.after}
      </form>
    </AuthLayout>
  );
}
