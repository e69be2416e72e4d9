import { useId, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { LIMITS } from '@gatehouse/shared';
import {
  ApiKeysDocument,
  ApiKeyUsageDocument,
  DeleteApiKeyDocument,
  EndPreviousSecretDocument,
  RevokeApiKeyDocument,
  UpdateApiKeyDocument,
  type ApiKeyFieldsFragment,
} from '@gatehouse/shared/generated';
import { hasPermission, useViewer } from '../../../app/viewer';
import { Badge } from '../../../ui/Badge';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { useFormatDateTime } from '../../../ui/dates';
import { PlusIcon } from '../../../ui/icons';
import { Menu, type MenuItem } from '../../../ui/Menu';
import { Section } from '../../../ui/Section';
import { useToast } from '../../../ui/Toast';
import { ApiKeyStatusBadge } from './ApiKeyStatusBadge';
import { NewApiKeyDialog } from './NewApiKeyDialog';
import { RotateApiKeyDialog } from './RotateApiKeyDialog';
import { UsageChart } from './UsageChart';
import { QueryResult } from '../../../ui/QueryResult';
import { nameColumns } from '../../../ui/nameColumns';
import { displayIp } from '../../../ui/ipAddress';

type Action = { kind: 'create' } | { kind: 'rotate' | 'endPrevious' | 'revoke' | 'delete'; key: ApiKeyFieldsFragment };

/**
 * The keys of one owner: the viewer's own, or with `ownerId` a service account's. `canManage`
 * defaults to the viewer's apiKeys:manage permission.
 */
export function ApiKeyList({ ownerId, canManage }: { ownerId?: string; canManage?: boolean }) {
  const viewer = useViewer();
  const manage = canManage ?? hasPermission(viewer, 'apiKeys:manage');
  const formatDateTime = useFormatDateTime();
  const limitReasonId = useId();
  const { data, error, refetch } = useQuery(ApiKeysDocument, { variables: { ownerId } });
  const usage = useQuery(ApiKeyUsageDocument, { variables: { ownerId } });
  const usageOf = new Map(usage.data?.apiKeys.map((key) => [key.id, key.usage]));
  const [updateApiKey] = useMutation(UpdateApiKeyDocument);
  const [endPreviousSecret] = useMutation(EndPreviousSecretDocument);
  const [revokeApiKey] = useMutation(RevokeApiKeyDocument);
  const [deleteApiKey] = useMutation(DeleteApiKeyDocument, { refetchQueries: [ApiKeysDocument] });
  const [action, setAction] = useState<Action | null>(null);
  const toast = useToast();
  const close = () => setAction(null);
  const closeWith = (text: string) => {
    close();
    toast({ text });
  };

  const keys = data?.apiKeys ?? [];
  const atLimit = keys.length >= LIMITS.apiKeysPerOwner;

  function menuItems(key: ApiKeyFieldsFragment): MenuItem[] {
    const items: MenuItem[] = [];
    // The default key is the one that always exists: it is rotated, never revoked or deleted.
    if (key.isDefault) items.push({ label: 'Rotate', onSelect: () => setAction({ kind: 'rotate', key }) });
    if (key.previousSecretExpiresAt) {
      items.push({
        label: 'End previous secret now',
        tone: 'danger',
        onSelect: () => setAction({ kind: 'endPrevious', key }),
      });
    }
    if (!key.isDefault && key.status === 'ACTIVE') {
      items.push({ label: 'Revoke', tone: 'danger', onSelect: () => setAction({ kind: 'revoke', key }) });
    }
    if (!key.isDefault)
      items.push({ label: 'Delete', tone: 'danger', onSelect: () => setAction({ kind: 'delete', key }) });
    return items;
  }

  const columns: Column<ApiKeyFieldsFragment>[] = [
    ...nameColumns<ApiKeyFieldsFragment>({
      canEdit: manage,
      nameMaxLength: LIMITS.apiKeyNameMaxLength,
      save: (key, input) => updateApiKey({ variables: { id: key.id, input } }),
      nameBadge: (key) => key.isDefault && <Badge tone="accent">Default</Badge>,
    }),
    {
      key: 'key',
      header: 'Key',
      className: 'cell-nowrap',
      cell: (key) =>
        key.previousSecretExpiresAt ? (
          <span className="cell-stack">
            <code className="masked-key">{key.maskedKey}</code>
            <span className="cell-sub cell-note">
              Previous secret valid until {formatDateTime(key.previousSecretExpiresAt)}
            </span>
          </span>
        ) : (
          <code className="masked-key">{key.maskedKey}</code>
        ),
    },
    {
      key: 'status',
      header: 'Status',
      cell: (key) => (
        <span className="cell-stack">
          <ApiKeyStatusBadge status={key.status} />
          {key.allowedIps.length > 0 && <span className="cell-sub">Only from {key.allowedIps.join(', ')}</span>}
          {key.rateLimit && (
            <span className="cell-sub">
              {key.rateLimit.requests} requests / {key.rateLimit.windowSeconds} s
            </span>
          )}
        </span>
      ),
    },
    { key: 'created', header: 'Created', className: 'cell-nowrap', cell: (key) => formatDateTime.date(key.createdAt) },
    {
      key: 'expires',
      header: 'Expires',
      className: 'cell-nowrap',
      cell: (key) => formatDateTime.date(key.expiresAt, 'Never'),
    },
    {
      key: 'lastUsed',
      header: 'Last used',
      className: 'cell-nowrap cell-datetime',
      cell: (key) =>
        key.lastUsedAt ? (
          <span className="cell-stack">
            {formatDateTime(key.lastUsedAt)}
            {key.lastUsedIp && <span className="cell-sub">{displayIp(key.lastUsedIp)}</span>}
          </span>
        ) : (
          <span className="text-subtle">Never</span>
        ),
    },
    {
      key: 'usage',
      header: 'Usage, 30 days',
      cell: (key) => {
        const days = usageOf.get(key.id);
        return days ? <UsageChart usage={days} keyName={key.name} /> : null;
      },
    },
  ];
  if (manage) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (key) => <Menu label={`Actions for ${key.name}`} items={menuItems(key)} />,
    });
  }

  const actions = (
    <>
      <span className="usage-count" data-at-limit={atLimit || undefined}>
        {keys.length} of {LIMITS.apiKeysPerOwner} keys
      </span>
      {manage && (
        <Button
          variant="primary"
          disabled={atLimit}
          aria-describedby={atLimit ? limitReasonId : undefined}
          onClick={() => setAction({ kind: 'create' })}
        >
          <PlusIcon />
          New API Key
        </Button>
      )}
    </>
  );

  return (
    <Section
      wide
      title="API keys"
      description={
        <>
          A key acts as its owner in {viewer.organization.name}, with the owner’s permissions limited to the key’s
          scopes. Programs send it as <code>Authorization: Bearer &lt;key&gt;</code>. Try the API, with its
          documentation, in the <a href="/api/explorer">API explorer</a>.
        </>
      }
      actions={data && actions}
    >
      {atLimit && manage && (
        <p id={limitReasonId} className="limit-note">
          The limit is {LIMITS.apiKeysPerOwner} keys, revoked and expired ones included. Delete a key to create another.
        </p>
      )}
      <QueryResult error={error} data={data} loadingLabel="Loading API keys" onRetry={() => void refetch()}>
        {() => (
          <DataTable
            caption="API keys"
            columns={columns}
            rows={keys}
            rowKey={(key) => key.id}
            empty={<p>No API keys yet.</p>}
          />
        )}
      </QueryResult>

      {action?.kind === 'create' && <NewApiKeyDialog ownerId={ownerId} onClose={close} />}
      {action?.kind === 'rotate' && <RotateApiKeyDialog apiKey={action.key} onClose={close} />}
      {action?.kind === 'endPrevious' && action.key.previousSecretExpiresAt && (
        <ConfirmDialog
          title={`End the previous secret of ${action.key.name}?`}
          confirmLabel="End previous secret"
          onClose={close}
          onConfirm={async () => {
            await endPreviousSecret({ variables: { id: action.key.id } });
            closeWith(`The previous secret of ${action.key.name} no longer works.`);
          }}
        >
          <p>
            The secret replaced by the last rotation works until {formatDateTime(action.key.previousSecretExpiresAt)}.
            Programs still using it stop working at once; the current secret is not affected.
          </p>
        </ConfirmDialog>
      )}
      {action?.kind === 'revoke' && (
        <ConfirmDialog
          title={`Revoke ${action.key.name}?`}
          confirmLabel="Revoke key"
          onClose={close}
          onConfirm={async () => {
            await revokeApiKey({ variables: { id: action.key.id } });
            closeWith(`${action.key.name} is revoked.`);
          }}
        >
          <p>Programs using this key stop working at once. The key stays listed as Revoked until you delete it.</p>
        </ConfirmDialog>
      )}
      {action?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${action.key.name}?`}
          confirmLabel="Delete key"
          onClose={close}
          onConfirm={async () => {
            await deleteApiKey({ variables: { id: action.key.id } });
            closeWith(`${action.key.name} is deleted.`);
          }}
        >
          <p>The key is removed for good, and programs using it stop working at once.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
