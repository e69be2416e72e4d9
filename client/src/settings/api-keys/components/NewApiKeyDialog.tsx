import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { ALL_SCOPES, API_KEY_DEFAULT_LIFETIME_DAYS, API_KEY_EXPIRY_PRESETS_DAYS, LIMITS } from '@gatehouse/shared';
import {
  ApiKeysDocument,
  ApiKeyUsageDocument,
  CreateApiKeyDocument,
  NewApiKeyOptionsDocument,
  type NewApiKeyOptionsQuery,
} from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { useFormatDateTime } from '../../../ui/dates';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { formErrors } from '../../../ui/formErrors';
import { SegmentedControl, type SegmentedOption } from '../../../ui/SegmentedControl';
import { Spinner } from '../../../ui/Spinner';
import { useForm } from '../../../ui/useForm';
import { SecretDialog } from './SecretDialog';

const DAY_MS = 86_400_000;

type ScopeMode = 'all' | 'selected';
type Expiry = `${number}` | 'date' | 'never';
type Permission = NewApiKeyOptionsQuery['permissionCatalog'][number];
type Lifetime = NonNullable<NewApiKeyOptionsQuery['viewer']>['organization']['apiKeyLifetime'];

const SCOPE_MODES: readonly SegmentedOption<ScopeMode>[] = [
  { value: 'all', label: 'All permissions' },
  { value: 'selected', label: 'Selected permissions' },
];

const SCOPE_GROUPS = [
  { scope: 'TENANT', title: 'Organization' },
  { scope: 'WORKSPACE', title: 'Workspaces' },
] as const;

/** YYYY-MM-DD of a day `days` from today, in local time, as a date input wants it. */
function isoDay(days: number): string {
  const day = new Date(Date.now() + days * DAY_MS);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

function expiryOptions(lifetime: Lifetime): SegmentedOption<Expiry>[] {
  const presets = API_KEY_EXPIRY_PRESETS_DAYS.filter((days) => days <= lifetime.maxLifetimeDays).map(
    (days): SegmentedOption<Expiry> => ({ value: `${days}`, label: days === 365 ? '1 year' : `${days} days` }),
  );
  return [
    ...presets,
    { value: 'date', label: 'Custom date' },
    ...(lifetime.allowNeverExpiring ? [{ value: 'never' as const, label: 'Never' }] : []),
  ];
}

/** "New API Key": the form, then the one-time reveal of the created key's secret. */
export function NewApiKeyDialog({ ownerId, onClose }: { ownerId?: string; onClose: () => void }) {
  const options = useQuery(NewApiKeyOptionsDocument);
  const [secret, setSecret] = useState<string | null>(null);

  if (secret) return <SecretDialog title="Save your API key" secret={secret} onDone={onClose} />;

  return (
    <Dialog
      title="New API Key"
      description="A key acts as its owner in this organization, limited to the permissions you choose here."
      onClose={onClose}
      size="lg"
    >
      {options.error ? (
        <Alert tone="error">{formErrors(options.error, []).form}</Alert>
      ) : options.data?.viewer ? (
        <NewApiKeyForm
          ownerId={ownerId}
          catalog={options.data.permissionCatalog}
          lifetime={options.data.viewer.organization.apiKeyLifetime}
          onCreated={setSecret}
          onCancel={onClose}
        />
      ) : (
        <div className="page-loading">
          <Spinner label="Loading" />
        </div>
      )}
    </Dialog>
  );
}

function NewApiKeyForm({
  ownerId,
  catalog,
  lifetime,
  onCreated,
  onCancel,
}: {
  ownerId?: string;
  catalog: readonly Permission[];
  lifetime: Lifetime;
  onCreated: (secret: string) => void;
  onCancel: () => void;
}) {
  const formatDateTime = useFormatDateTime();
  const [createApiKey, { loading }] = useMutation(CreateApiKeyDocument, {
    refetchQueries: [ApiKeysDocument, ApiKeyUsageDocument],
  });
  const form = useForm({
    name: '',
    description: '',
    expiresAt: '',
    allowedIps: '',
    rateLimitRequests: '',
    rateLimitWindowSeconds: '',
  });
  const [scopeMode, setScopeMode] = useState<ScopeMode>('all');
  const [scopes, setScopes] = useState<ReadonlySet<string>>(new Set());
  const [scopesError, setScopesError] = useState<string | null>(null);
  const [expiry, setExpiry] = useState<Expiry>(`${Math.min(API_KEY_DEFAULT_LIFETIME_DAYS, lifetime.maxLifetimeDays)}`);

  function toggleScope(name: string, on: boolean) {
    setScopesError(null);
    setScopes((previous) => {
      const next = new Set(previous);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  }

  function expiryInput(): { expiresAt?: string; neverExpires?: boolean } {
    if (expiry === 'never') return { neverExpires: true };
    // The start of the chosen day, so the last day the organization allows is still accepted.
    if (expiry === 'date') return { expiresAt: new Date(`${form.values.expiresAt}T00:00`).toISOString() };
    return { expiresAt: new Date(Date.now() + Number(expiry) * DAY_MS).toISOString() };
  }

  /** The server checks the addresses and the limit's range; a half-filled limit is refused here. */
  function guardrailsInput() {
    const { allowedIps, rateLimitRequests, rateLimitWindowSeconds } = form.values;
    const ips = allowedIps
      .split(/[\s,]+/)
      .map((entry) => entry.trim())
      .filter(Boolean);
    return {
      allowedIps: ips,
      rateLimit: rateLimitRequests.trim()
        ? { requests: Number(rateLimitRequests), windowSeconds: Number(rateLimitWindowSeconds || 60) }
        : null,
    };
  }

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const required = form.checkRequired({
      name: 'Name is required.',
      ...(expiry === 'date' ? { expiresAt: 'Choose the expiry date.' } : {}),
    });
    const noScopes = scopeMode === 'selected' && scopes.size === 0;
    setScopesError(noScopes ? 'Choose at least one permission, or All permissions.' : null);
    if (!required || noScopes) return;
    try {
      const result = await createApiKey({
        variables: {
          input: {
            name: form.values.name.trim(),
            description: form.values.description.trim() || null,
            scopes: scopeMode === 'all' ? [ALL_SCOPES] : [...scopes],
            ownerId: ownerId ?? null,
            ...expiryInput(),
            ...guardrailsInput(),
          },
        },
      });
      if (result.data) onCreated(result.data.createApiKey.secret);
    } catch (caught) {
      form.showError(caught);
    }
  }

  const lifetimeHint = lifetime.allowNeverExpiring
    ? `Your organization allows keys to live up to ${lifetime.maxLifetimeDays} days, or to never expire.`
    : `Your organization requires keys to expire within ${lifetime.maxLifetimeDays} days.`;

  return (
    <form className="form" onSubmit={handleSubmit} noValidate>
      {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
      <Field label="Name" maxLength={LIMITS.apiKeyNameMaxLength} autoComplete="off" autoFocus {...form.bind('name')} />
      <Field
        label="Description"
        maxLength={LIMITS.descriptionMaxLength}
        autoComplete="off"
        hint="Optional: what the key is for, so you know which program uses it."
        {...form.bind('description')}
      />

      <fieldset className="fieldset">
        <legend className="field-label">Permissions</legend>
        <SegmentedControl label="Permissions" options={SCOPE_MODES} value={scopeMode} onChange={setScopeMode} />
        <p className="field-hint">
          {scopeMode === 'all'
            ? 'The key can do everything its owner can, now and after the owner’s role changes.'
            : 'The key can do only what you tick here, and only while its owner still may.'}
        </p>
        {scopeMode === 'selected' && (
          <div className="scope-picker" aria-invalid={scopesError ? true : undefined}>
            {SCOPE_GROUPS.map((group) => (
              <fieldset key={group.scope} className="scope-group">
                <legend>{group.title}</legend>
                {catalog
                  .filter((permission) => permission.scope === group.scope)
                  .map((permission) => (
                    <label key={permission.name} className="scope-option">
                      <input
                        type="checkbox"
                        checked={scopes.has(permission.name)}
                        onChange={(event) => toggleScope(permission.name, event.target.checked)}
                      />
                      <span>
                        <code>{permission.name}</code>
                        <span className="scope-description">{permission.description}</span>
                      </span>
                    </label>
                  ))}
              </fieldset>
            ))}
          </div>
        )}
        {scopesError && (
          <p className="field-error" role="alert">
            {scopesError}
          </p>
        )}
      </fieldset>

      <fieldset className="fieldset">
        <legend className="field-label">Expires</legend>
        <SegmentedControl label="Expires" options={expiryOptions(lifetime)} value={expiry} onChange={setExpiry} />
        {expiry === 'date' ? (
          <Field
            label="Expiry date"
            type="date"
            min={isoDay(1)}
            max={isoDay(lifetime.maxLifetimeDays - 1)}
            {...form.bind('expiresAt')}
          />
        ) : (
          <p className="field-hint">
            {expiry === 'never'
              ? 'The key works until it is revoked or deleted.'
              : `Expires ${formatDateTime.date(Date.now() + Number(expiry) * DAY_MS)}.`}
          </p>
        )}
        <p className="field-hint">{lifetimeHint}</p>
      </fieldset>

      <fieldset className="fieldset">
        <legend className="field-label">Guardrails</legend>
        <Field
          label="Allowed IP addresses"
          placeholder="Anywhere"
          autoComplete="off"
          hint="Optional: addresses or CIDR ranges (203.0.113.0/24, 2001:db8::/32), separated by commas. Requests from elsewhere are refused."
          {...form.bind('allowedIps')}
        />
        <div className="form-row">
          <Field
            label="Rate limit (requests)"
            type="number"
            inputMode="numeric"
            min={1}
            placeholder="Organization default"
            {...form.bind('rateLimitRequests')}
          />
          <Field
            label="Per window of (seconds)"
            type="number"
            inputMode="numeric"
            min={1}
            placeholder="60"
            {...form.bind('rateLimitWindowSeconds')}
          />
        </div>
      </fieldset>

      <div className="dialog-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={loading}>
          Create key
        </Button>
      </div>
    </form>
  );
}
