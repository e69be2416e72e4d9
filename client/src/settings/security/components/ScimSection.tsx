import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { LIMITS } from '@gatehouse/shared';
import {
  CreateScimTokenDocument,
  RevokeScimTokenDocument,
  ScimProvisioningDocument,
  type ScimTokenFieldsFragment,
} from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { useFormatDateTime } from '../../../ui/dates';
import { Dialog } from '../../../ui/Dialog';
import { EmptyState } from '../../../ui/EmptyState';
import { Field } from '../../../ui/Field';
import { PlusIcon } from '../../../ui/icons';
import { Menu } from '../../../ui/Menu';
import { QueryResult } from '../../../ui/QueryResult';
import { Section } from '../../../ui/Section';
import { useToast } from '../../../ui/Toast';
import { useForm } from '../../../ui/useForm';
import { SecretDialog } from '../../api-keys/components/SecretDialog';

type Action = { kind: 'create' } | { kind: 'revoke'; token: ScimTokenFieldsFragment };

/** The Security tab's SCIM provisioning: the base URL an identity provider calls, its tokens and its last sync. */
export function ScimSection() {
  const { data, error, refetch } = useQuery(ScimProvisioningDocument, { fetchPolicy: 'cache-and-network' });
  const [revokeToken] = useMutation(RevokeScimTokenDocument, { refetchQueries: [ScimProvisioningDocument] });
  const [action, setAction] = useState<Action | null>(null);
  const formatDateTime = useFormatDateTime();
  const toast = useToast();
  const close = () => setAction(null);
  const create = () => setAction({ kind: 'create' });

  const columns: Column<ScimTokenFieldsFragment>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (token) => (
        <div className="cell-stack">
          <span>{token.name}</span>
          <span className="cell-sub mono">{token.maskedToken}</span>
        </div>
      ),
    },
    { key: 'created', header: 'Created', cell: (token) => formatDateTime(token.createdAt) },
    {
      key: 'lastUsed',
      header: 'Last used',
      cell: (token) =>
        token.lastUsedAt ? formatDateTime(token.lastUsedAt) : <span className="text-subtle">Never</span>,
    },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (token) => (
        <Menu
          label={`Actions for ${token.name}`}
          items={[{ label: 'Revoke', tone: 'danger', onSelect: () => setAction({ kind: 'revoke', token }) }]}
        />
      ),
    },
  ];

  return (
    <Section
      wide
      title="SCIM provisioning"
      description="Let Okta or Microsoft Entra ID create, update and deactivate members and push groups automatically (SCIM 2.0). People it creates sign in through your single sign-on; members and groups it manages are marked “managed by your identity provider”."
      actions={
        <Button variant="primary" onClick={create}>
          <PlusIcon />
          New SCIM token
        </Button>
      }
    >
      <QueryResult error={error} data={data} loadingLabel="Loading SCIM provisioning" onRetry={() => void refetch()}>
        {(data) => (
          <>
            <dl className="detail-list">
              <div>
                <dt>SCIM base URL</dt>
                <dd>
                  <code className="mono" data-testid="scim-base-url">
                    {data.scimProvisioning.baseUrl}
                  </code>
                </dd>
              </div>
              <div>
                <dt>Last sync</dt>
                <dd>
                  {data.scimProvisioning.lastSyncAt ? (
                    `${formatDateTime(data.scimProvisioning.lastSyncAt)} (${data.scimProvisioning.lastSyncAction})`
                  ) : (
                    <span className="text-subtle">No sync yet</span>
                  )}
                </dd>
              </div>
            </dl>
            <DataTable
              caption="SCIM tokens"
              columns={columns}
              rows={data.scimTokens}
              rowKey={(token) => token.id}
              empty={
                <EmptyState actionLabel="Create the first SCIM token" onAction={create}>
                  No SCIM tokens yet. A SCIM token lets your identity provider keep members and groups in sync.
                </EmptyState>
              }
            />
          </>
        )}
      </QueryResult>
      {action?.kind === 'create' && <NewScimTokenDialog onClose={close} />}
      {action?.kind === 'revoke' && (
        <ConfirmDialog
          title={`Revoke ${action.token.name}?`}
          confirmLabel="Revoke token"
          onClose={close}
          onConfirm={async () => {
            await revokeToken({ variables: { id: action.token.id } });
            close();
            toast({ text: `${action.token.name} is revoked.` });
          }}
        >
          <p>The identity provider using it can no longer provision anyone until you give it a new token.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}

/** "New SCIM token": a name, then the one-time reveal of the secret. */
function NewScimTokenDialog({ onClose }: { onClose: () => void }) {
  const [createToken, { loading }] = useMutation(CreateScimTokenDocument, {
    refetchQueries: [ScimProvisioningDocument],
  });
  const form = useForm({ name: '' });
  const [secret, setSecret] = useState<string | null>(null);

  if (secret) return <SecretDialog title="Save your SCIM token" label="SCIM token" secret={secret} onDone={onClose} />;

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ name: 'Name is required.' })) return;
    try {
      const result = await createToken({ variables: { name: form.values.name.trim() } });
      if (result.data) setSecret(result.data.createScimToken.secret);
    } catch (caught) {
      form.showError(caught);
    }
  }

  return (
    <Dialog
      title="New SCIM token"
      description="Paste it into your identity provider's SCIM settings as the Bearer token (API token)."
      onClose={onClose}
    >
      <form className="form" onSubmit={handleSubmit} noValidate>
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        <Field
          label="Name"
          maxLength={LIMITS.nameMaxLength}
          autoComplete="off"
          autoFocus
          hint="Which identity provider uses it, such as Okta."
          {...form.bind('name')}
        />
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={loading}>
            Create token
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
