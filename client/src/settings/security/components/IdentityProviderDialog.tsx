import { useState, type FormEvent } from 'react';
import { useQuery } from '@apollo/client/react';
import { IDENTITY_PROVIDER_LIMITS as LIMITS } from '@gatehouse/shared';
import {
  IdentityProviderChoicesDocument,
  type IdentityProviderFieldsFragment,
  type IdentityProviderInput,
} from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { CheckboxList } from '../../../ui/CheckboxList';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { formErrors } from '../../../ui/formErrors';
import { CrossIcon, PlusIcon } from '../../../ui/icons';
import { SelectField } from '../../../ui/SelectField';
import { useForm } from '../../../ui/useForm';

interface MappingRow {
  idpGroup: string;
  roleId: string;
  groupId: string;
}

const NO_GROUP = '';

/** Adds a provider, or edits one (`provider` set): the whole configuration is saved at once. */
export function IdentityProviderDialog({
  provider,
  onSubmit,
  onClose,
}: {
  provider?: IdentityProviderFieldsFragment;
  onSubmit: (input: IdentityProviderInput) => Promise<unknown>;
  onClose: () => void;
}) {
  const choices = useQuery(IdentityProviderChoicesDocument).data;
  const form = useForm({
    name: provider?.name ?? '',
    issuer: provider?.issuer ?? '',
    clientId: provider?.clientId ?? '',
    clientSecret: '',
    groupsClaim: provider?.groupsClaim ?? 'groups',
  });
  const [emailDomains, setEmailDomains] = useState<ReadonlySet<string>>(new Set(provider?.emailDomains ?? []));
  const [enabled, setEnabled] = useState(provider?.enabled ?? true);
  const [mappings, setMappings] = useState<MappingRow[]>(
    provider?.groupMappings.map((m) => ({
      idpGroup: m.idpGroup,
      roleId: m.role.id,
      groupId: m.group?.id ?? NO_GROUP,
    })) ?? [{ idpGroup: '', roleId: 'admin', groupId: NO_GROUP }],
  );
  const [mappingError, setMappingError] = useState<string | null>(null);
  const [domainError, setDomainError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const tenantRoles = (choices?.roles ?? []).filter((role) => role.scope === 'TENANT');
  const roleOptions = tenantRoles.map((role) => ({ value: role.id, label: role.name }));
  // Only verified domains can be chosen; ones the provider already has stay visible so they can be removed.
  const verified = (choices?.domains ?? []).filter((d) => d.status === 'VERIFIED').map((d) => d.domain);
  const domainOptions = [...new Set([...verified, ...(provider?.emailDomains ?? [])])]
    .sort()
    .map((domain) => ({ value: domain, label: domain }));
  const groupOptions = [
    { value: NO_GROUP, label: 'No group' },
    ...(choices?.groups ?? []).map((group) => ({ value: group.id, label: group.name })),
  ];

  const changeMapping = (index: number, change: Partial<MappingRow>) =>
    setMappings((rows) => rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  function checkLocally(): boolean {
    const required = {
      name: 'Name is required.',
      issuer: 'The issuer URL is required.',
      clientId: 'The client ID is required.',
      groupsClaim: 'The groups claim is required.',
      ...(provider ? {} : { clientSecret: 'The client secret is required.' }),
    };
    const filled = form.checkRequired(required);
    setDomainError(null);
    const mappingProblem = mappings.some((m) => !m.idpGroup.trim())
      ? 'Each mapping needs the group name the identity provider sends.'
      : !mappings.some((m) => m.roleId === 'admin')
        ? 'At least one mapping must give the Admin role.'
        : null;
    setMappingError(mappingProblem);
    return filled && !mappingProblem;
  }

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy || !checkLocally()) return;
    const { values } = form;
    setBusy(true);
    try {
      await onSubmit({
        name: values.name.trim(),
        issuer: values.issuer.trim(),
        clientId: values.clientId.trim(),
        clientSecret: values.clientSecret || null,
        groupsClaim: values.groupsClaim.trim(),
        emailDomains: [...emailDomains],
        enabled,
        groupMappings: mappings.map((m) => ({
          idpGroup: m.idpGroup.trim(),
          roleId: m.roleId,
          groupId: m.groupId || null,
        })),
      });
      onClose();
    } catch (caught) {
      form.showError(caught);
      const { fields } = formErrors(caught, ['emailDomains', 'groupMappings', 'enabled']);
      setDomainError(fields.emailDomains ?? null);
      setMappingError(fields.groupMappings ?? fields.enabled ?? null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      size="lg"
      title={provider ? `Edit ${provider.name}` : 'Add identity provider'}
      description={
        <>
          Register Gatehouse as an OpenID Connect web application at your provider with the redirect URI{' '}
          <code className="mono" data-testid="redirect-uri">
            {provider?.redirectUri ?? choices?.ssoRedirectUri ?? '…'}
          </code>
          , then enter what it gives you.
        </>
      }
      onClose={onClose}
    >
      <form className="form" onSubmit={handleSubmit} noValidate>
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        <div className="form-row">
          <Field
            label="Name"
            hint="Shown to people who sign in."
            maxLength={LIMITS.nameMaxLength}
            autoComplete="off"
            autoFocus
            {...form.bind('name')}
          />
          <Field
            label="Issuer URL"
            type="url"
            placeholder="https://login.example.com"
            maxLength={LIMITS.urlMaxLength}
            autoComplete="off"
            {...form.bind('issuer')}
          />
        </div>
        <div className="form-row">
          <Field label="Client ID" maxLength={LIMITS.clientIdMaxLength} autoComplete="off" {...form.bind('clientId')} />
          <Field
            label="Client secret"
            type="password"
            autoComplete="new-password"
            maxLength={LIMITS.clientSecretMaxLength}
            hint={provider ? 'Leave empty to keep the current secret.' : 'Stored encrypted; never shown again.'}
            {...form.bind('clientSecret')}
          />
        </div>
        <div className="form-row">
          <Field
            label="Groups claim"
            hint="The ID token claim that lists the person's groups."
            maxLength={LIMITS.claimMaxLength}
            autoComplete="off"
            {...form.bind('groupsClaim')}
          />
        </div>
        <CheckboxList
          legend="Email domains"
          options={domainOptions}
          selected={emailDomains}
          onChange={setEmailDomains}
          empty="No verified domain yet: verify one under Domains to let its people choose “Sign in with SSO” by email. The sign-in link works without one."
        />
        {domainOptions.length > 0 && (
          <p className="field-hint">
            People at these verified domains who choose “Sign in with SSO” go to this provider. It only ever signs in
            people at the organization&apos;s verified domains.
          </p>
        )}
        {domainError && (
          <p className="field-error" role="alert">
            {domainError}
          </p>
        )}
        <fieldset className="fieldset">
          <legend className="field-label">Group mappings</legend>
          <p className="field-hint">
            Read top to bottom: the first group that matches gives the role, and every match adds its Gatehouse group.
            People in none of these groups cannot sign in. At least one mapping must give Admin.
          </p>
          {mappings.map((mapping, index) => (
            <div className="form-row mapping-row" key={index} data-testid="group-mapping">
              <Field
                label={`Provider group ${index + 1}`}
                value={mapping.idpGroup}
                maxLength={LIMITS.claimMaxLength}
                autoComplete="off"
                onChange={(event) => changeMapping(index, { idpGroup: event.target.value })}
              />
              <SelectField
                label={`Role ${index + 1}`}
                options={roleOptions.length ? roleOptions : [{ value: mapping.roleId, label: mapping.roleId }]}
                value={mapping.roleId}
                onChange={(roleId) => changeMapping(index, { roleId })}
              />
              <SelectField
                label={`Gatehouse group ${index + 1}`}
                options={groupOptions}
                value={mapping.groupId}
                onChange={(groupId) => changeMapping(index, { groupId })}
              />
              <Button
                size="sm"
                aria-label={`Remove mapping ${index + 1}`}
                disabled={mappings.length === 1}
                onClick={() => setMappings((rows) => rows.filter((_, i) => i !== index))}
              >
                <CrossIcon />
              </Button>
            </div>
          ))}
          {mappingError && (
            <p className="field-error" role="alert">
              {mappingError}
            </p>
          )}
          <div>
            <Button
              size="sm"
              disabled={mappings.length >= LIMITS.mappingsMax}
              onClick={() => setMappings((rows) => [...rows, { idpGroup: '', roleId: 'consumer', groupId: NO_GROUP }])}
            >
              <PlusIcon />
              Add mapping
            </Button>
          </div>
        </fieldset>
        <label className="checkbox">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
          Enabled: people can sign in through this provider
        </label>
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            {provider ? 'Save provider' : 'Add provider'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
