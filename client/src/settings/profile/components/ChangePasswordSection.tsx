import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { evaluatePassword, LIMITS } from '@gatehouse/shared';
import { ChangePasswordDocument } from '@gatehouse/shared/generated';
import { useViewer } from '../../../app/viewer';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Field } from '../../../ui/Field';
import { NewPasswordField, passwordAcceptable } from '../../../ui/NewPasswordField';
import { Section } from '../../../ui/Section';
import { useForm } from '../../../ui/useForm';

export function ChangePasswordSection() {
  const { user, organization } = useViewer();
  const [changePassword, { loading }] = useMutation(ChangePasswordDocument);
  const form = useForm({ currentPassword: '', newPassword: '', confirmation: '' });
  const [changed, setChanged] = useState(false);
  const { currentPassword, newPassword, confirmation } = form.values;

  const rules = evaluatePassword(newPassword, {
    email: user.email,
    username: user.username,
    minLength: organization.minPasswordLength,
  });
  const mismatch = confirmation !== '' && confirmation !== newPassword;
  const ready = currentPassword !== '' && passwordAcceptable(rules) && confirmation === newPassword;

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    try {
      await changePassword({ variables: { input: { currentPassword, newPassword } } });
    } catch (caught) {
      form.showError(caught);
      return;
    }
    form.reset();
    setChanged(true);
  }

  return (
    <Section title="Change password" description="Changing your password signs you out of every other session.">
      {/* The confirmation stays until the form is touched again. */}
      <form className="form" onSubmit={handleSubmit} onInput={() => setChanged(false)} noValidate>
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={user.email ?? ''} readOnly hidden />
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        {changed && <Alert tone="success">Your password has been changed. Other sessions were signed out.</Alert>}
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          maxLength={LIMITS.passwordMaxLength}
          {...form.bind('currentPassword')}
        />
        <NewPasswordField
          label="New password"
          maxLength={LIMITS.passwordMaxLength}
          rules={rules}
          {...form.bind('newPassword')}
        />
        <Field
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          maxLength={LIMITS.passwordMaxLength}
          {...form.bind('confirmation')}
          error={mismatch ? 'The passwords do not match.' : null}
        />
        <div className="form-actions form-actions-start">
          <Button variant="primary" type="submit" disabled={!ready} busy={loading}>
            Update password
          </Button>
        </div>
      </form>
    </Section>
  );
}
