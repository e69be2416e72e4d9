import { useState, type FormEvent } from 'react';
import {
  API_KEY_OPTIONAL_SETTING_RANGES,
  AUTHORIZED_DOMAINS_MAX,
  EMAIL_DOMAIN_PATTERN,
  SECURITY_SETTING_RANGES,
} from '@gatehouse/shared';
import { useQuery } from '@apollo/client/react';
import { MembersWithoutTwoFactorDocument, type OrganizationSettingsFieldsFragment } from '@gatehouse/shared/generated';
import { Alert } from '../../ui/Alert';
import { focusFirstInvalid } from '../../ui/focusFirstInvalid';
import { useToast } from '../../ui/Toast';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { formErrors } from '../../ui/formErrors';
import { Section } from '../../ui/Section';
import { SettingsPageFrame } from '../general/SettingsPageFrame';
import type { useOrganizationSettings } from '../general/useOrganizationSettings';
import { DomainList } from './components/DomainList';
import { IdentityProviderList } from './components/IdentityProviderList';
import { ScimSection } from './components/ScimSection';

type RequiredNumber = keyof typeof SECURITY_SETTING_RANGES;
type OptionalNumber = keyof typeof API_KEY_OPTIONAL_SETTING_RANGES;
type NumberSetting = RequiredNumber | OptionalNumber;
const RANGES = { ...SECURITY_SETTING_RANGES, ...API_KEY_OPTIONAL_SETTING_RANGES };

const NUMBER_FIELDS: { name: NumberSetting; label: string; hint: string }[] = [
  {
    name: 'minPasswordLength',
    label: 'Minimum password length',
    hint: 'Applies to new passwords; the checklist shows it while people type.',
  },
  {
    name: 'sessionLifetimeHours',
    label: 'Session lifetime (hours)',
    hint: 'How long a browser stays signed in. Shortening it also shortens sessions already open.',
  },
  {
    name: 'apiKeyMaxLifetimeDays',
    label: 'Maximum API key lifetime (days)',
    hint: 'The latest expiry a new key may have.',
  },
  { name: 'auditRetentionDays', label: 'Audit log retention (days)', hint: 'Older events are deleted every hour.' },
];

/** Empty means off. */
const OPTIONAL_FIELDS: { name: OptionalNumber; label: string; hint: string }[] = [
  {
    name: 'apiKeyRateLimitRequests',
    label: 'Default API key rate limit (requests)',
    hint: 'For keys without a limit of their own. Empty: no limit.',
  },
  {
    name: 'apiKeyRateLimitWindowSeconds',
    label: 'Per window of (seconds)',
    hint: 'Requests over the limit are answered 429 until the window ends.',
  },
  {
    name: 'apiKeyUnusedRevokeDays',
    label: 'Revoke unused API keys after (days)',
    hint: 'Keys not used for this long are revoked and their owners told. Empty: never.',
  },
];

const optional = (text: string): number | null => (text.trim() ? Number(text) : null);

export default function SecurityPage() {
  return (
    <SettingsPageFrame>
      {(settings, api) => (
        <>
          <SecurityForm settings={settings} save={api.save} saving={api.saving} />
          <DomainList />
          <IdentityProviderList />
          <ScimSection />
        </>
      )}
    </SettingsPageFrame>
  );
}

function SecurityForm({
  settings,
  save,
  saving,
}: {
  settings: OrganizationSettingsFieldsFragment;
  save: ReturnType<typeof useOrganizationSettings>['save'];
  saving: boolean;
}) {
  const initial = settings.security;
  const [domains, setDomains] = useState(initial.authorizedEmailDomains.join(', '));
  const [numbers, setNumbers] = useState<Record<NumberSetting, string>>({
    minPasswordLength: String(initial.minPasswordLength),
    sessionLifetimeHours: String(initial.sessionLifetimeHours),
    apiKeyMaxLifetimeDays: String(initial.apiKeyMaxLifetimeDays),
    auditRetentionDays: String(initial.auditRetentionDays),
    apiKeyRateLimitRequests: String(initial.apiKeyRateLimit?.requests ?? ''),
    apiKeyRateLimitWindowSeconds: String(initial.apiKeyRateLimit?.windowSeconds ?? ''),
    apiKeyUnusedRevokeDays: String(initial.apiKeyUnusedRevokeDays ?? ''),
  });
  const [allowNever, setAllowNever] = useState(initial.allowNeverExpiringApiKeys);
  const [requireTwoFactor, setRequireTwoFactor] = useState(initial.requireTwoFactor);
  const [requireSso, setRequireSso] = useState(initial.requireSso);
  const withoutTwoFactor = useQuery(MembersWithoutTwoFactorDocument, { fetchPolicy: 'cache-and-network' }).data
    ?.membersWithoutTwoFactor;
  const [errors, setErrors] = useState<Partial<Record<NumberSetting | 'domains', string>>>({});
  const [result, setResult] = useState<{ tone: 'error'; text: string } | null>(null);
  const toast = useToast();

  function check(): Partial<Record<NumberSetting | 'domains', string>> {
    const found: Partial<Record<NumberSetting | 'domains', string>> = {};
    for (const { name, label } of [...NUMBER_FIELDS, ...OPTIONAL_FIELDS]) {
      const { min, max } = RANGES[name];
      if (name in API_KEY_OPTIONAL_SETTING_RANGES && numbers[name].trim() === '') continue;
      const value = Number(numbers[name]);
      if (!Number.isInteger(value) || value < min || value > max)
        found[name] = `${label}: a whole number from ${min} to ${max}.`;
    }
    if (!numbers.apiKeyRateLimitRequests.trim() !== !numbers.apiKeyRateLimitWindowSeconds.trim()) {
      found.apiKeyRateLimitWindowSeconds ??= 'Give both the number of requests and the window, or neither.';
    }
    const list = domainList();
    const bad = list.find((domain) => !EMAIL_DOMAIN_PATTERN.test(domain));
    if (bad) found.domains = `"${bad}" is not a domain like example.com.`;
    else if (list.length > AUTHORIZED_DOMAINS_MAX) found.domains = `At most ${AUTHORIZED_DOMAINS_MAX} domains.`;
    return found;
  }

  const domainList = () =>
    domains
      .split(/[\s,]+/)
      .map((domain) => domain.trim())
      .filter(Boolean);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    setResult(null);
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) return focusFirstInvalid(formElement);
    try {
      await save({
        security: {
          authorizedEmailDomains: domainList(),
          allowNeverExpiringApiKeys: allowNever,
          requireTwoFactor,
          requireSso,
          ...Object.fromEntries(NUMBER_FIELDS.map(({ name }) => [name, Number(numbers[name])])),
          apiKeyRateLimit: numbers.apiKeyRateLimitRequests.trim()
            ? {
                requests: Number(numbers.apiKeyRateLimitRequests),
                windowSeconds: Number(numbers.apiKeyRateLimitWindowSeconds),
              }
            : null,
          apiKeyUnusedRevokeDays: optional(numbers.apiKeyUnusedRevokeDays),
        },
      });
      toast({ text: 'Security settings saved.' });
    } catch (caught) {
      const names = [
        ...NUMBER_FIELDS.map(({ name }) => name),
        'apiKeyUnusedRevokeDays',
        'authorizedEmailDomains',
        'requireTwoFactor',
      ];
      const { fields, form } = formErrors(caught, names);
      setErrors({ ...fields, domains: fields.authorizedEmailDomains });
      const message = form ?? fields.requireTwoFactor;
      setResult(message ? { tone: 'error', text: message } : null);
      focusFirstInvalid(formElement);
    }
  }

  return (
    <Section title="Security" description="Who may join, and how long passwords, sessions, keys and audit events last.">
      <form className="form" onSubmit={handleSubmit} noValidate>
        {result && <Alert tone={result.tone}>{result.text}</Alert>}
        <fieldset className="fieldset">
          <legend className="field-label">Two-factor authentication</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={requireTwoFactor}
              onChange={(event) => setRequireTwoFactor(event.target.checked)}
            />
            Require two-factor authentication for every member
          </label>
          {withoutTwoFactor && (
            <p className="field-hint" data-testid="without-two-factor">
              {withoutTwoFactor.length === 0
                ? 'Every member uses two-factor authentication.'
                : `${withoutTwoFactor.length === 1 ? '1 member does' : `${withoutTwoFactor.length} members do`} not use it yet and will have to set it up at their next visit: ${withoutTwoFactor.map((person) => person.name).join(', ')}.`}
            </p>
          )}
        </fieldset>
        <fieldset className="fieldset">
          <legend className="field-label">Single sign-on</legend>
          <label className="checkbox">
            <input type="checkbox" checked={requireSso} onChange={(event) => setRequireSso(event.target.checked)} />
            Require single sign-on for verified domains
          </label>
          <p className="field-hint">
            People whose email is in one of the organization&apos;s verified domains must sign in through its identity
            provider; password and social sign-in are refused for them. Admins keep password sign-in as break-glass.
          </p>
        </fieldset>
        <Field
          label="Authorized email domains"
          placeholder="Any domain"
          hint="Separate domains with commas. Only people with these email domains can be invited or join; Admins are exempt so they can never be locked out. This only restricts, so the domains need not be verified."
          value={domains}
          error={errors.domains}
          onChange={(event) => setDomains(event.target.value)}
        />
        <div className="form-row">
          {[...NUMBER_FIELDS, ...OPTIONAL_FIELDS].map(({ name, label, hint }) => (
            <Field
              key={name}
              label={label}
              type="number"
              inputMode="numeric"
              min={RANGES[name].min}
              max={RANGES[name].max}
              hint={hint}
              value={numbers[name]}
              error={errors[name]}
              onChange={(event) => setNumbers((previous) => ({ ...previous, [name]: event.target.value }))}
            />
          ))}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={allowNever} onChange={(event) => setAllowNever(event.target.checked)} />
          Allow API keys that never expire
        </label>
        <div className="form-actions form-actions-start">
          <Button type="submit" variant="primary" busy={saving}>
            Save changes
          </Button>
        </div>
      </form>
    </Section>
  );
}
