import { LIMITS, PROFILE_AUTOSAVE_DELAY_MS, USERNAME_PATTERN } from '@gatehouse/shared';
import { useViewer } from '../../../app/viewer';
import { AutosaveField } from '../../../ui/AutosaveField';
import { Field } from '../../../ui/Field';
import { errorMessage } from '../../../ui/formErrors';
import { Section } from '../../../ui/Section';
import { useUpdateProfile } from './useUpdateProfile';

const USERNAME_RULE = `Username must be ${LIMITS.usernameMinLength}–${LIMITS.usernameMaxLength} characters of a-z, 0-9, dot, underscore or hyphen.`;

const required = (message: string) => (value: string) => (value.trim() ? null : message);

export function PersonalDetailsSection() {
  const { user } = useViewer();
  const updateProfile = useUpdateProfile();
  const common = { delayMs: PROFILE_AUTOSAVE_DELAY_MS, maxLength: LIMITS.nameMaxLength } as const;

  return (
    <Section title="Personal information" description="Changes are saved automatically as you type.">
      <div className="form">
        <Field
          label="Email"
          type="email"
          value={user.email ?? ''}
          readOnly
          hint="Your email is your sign-in identity and can't be changed."
        />
        <AutosaveField
          {...common}
          name="username"
          label="Username"
          initial={user.username ?? ''}
          maxLength={LIMITS.usernameMaxLength}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          hint={`Unique across Gatehouse: ${LIMITS.usernameMinLength}–${LIMITS.usernameMaxLength} characters of a-z, 0-9, ".", "_" or "-".`}
          // A username, once chosen, can be changed but not removed; an untouched empty one is simply not sent.
          validate={(value) => (USERNAME_PATTERN.test(value) || (!value && !user.username) ? null : USERNAME_RULE)}
          skip={(value) => !value}
          save={(username) => updateProfile({ username })}
          describeError={(error) => errorMessage(error, 'username')}
        />
        <div className="form-row">
          <AutosaveField
            {...common}
            name="firstName"
            label="First name"
            initial={user.firstName}
            autoComplete="given-name"
            validate={required('First name is required.')}
            save={(firstName) => updateProfile({ firstName })}
            describeError={(error) => errorMessage(error, 'firstName')}
          />
          <AutosaveField
            {...common}
            name="lastName"
            label="Last name"
            initial={user.lastName}
            autoComplete="family-name"
            validate={required('Last name is required.')}
            save={(lastName) => updateProfile({ lastName })}
            describeError={(error) => errorMessage(error, 'lastName')}
          />
        </div>
      </div>
    </Section>
  );
}
