import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  CreateIdentityProviderDocument,
  DeleteIdentityProviderDocument,
  IdentityProvidersDocument,
  UpdateIdentityProviderDocument,
  type IdentityProviderFieldsFragment,
} from '@gatehouse/shared/generated';
import { Badge } from '../../../ui/Badge';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { PlusIcon } from '../../../ui/icons';
import { Menu } from '../../../ui/Menu';
import { QueryResult } from '../../../ui/QueryResult';
import { Section } from '../../../ui/Section';
import { EmptyState } from '../../../ui/EmptyState';
import { useToast } from '../../../ui/Toast';
import { IdentityProviderDialog } from './IdentityProviderDialog';

type Action = { kind: 'create' } | { kind: 'edit' | 'delete'; provider: IdentityProviderFieldsFragment };

const COLUMNS: Column<IdentityProviderFieldsFragment>[] = [
  {
    key: 'name',
    header: 'Name',
    cell: (provider) => (
      <div className="cell-stack">
        <span>{provider.name}</span>
        <span className="cell-sub mono">{provider.issuer}</span>
      </div>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    cell: (provider) =>
      provider.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="neutral">Turned off</Badge>,
  },
  {
    key: 'domains',
    header: 'Email domains',
    cell: (provider) => provider.emailDomains.join(', ') || <span className="text-subtle">Link only</span>,
  },
  {
    key: 'mappings',
    header: 'Group mappings',
    cell: (provider) => (
      <ul className="inline-list">
        {provider.groupMappings.map((mapping, index) => (
          <li key={index}>
            {mapping.idpGroup} → {mapping.role.name}
            {mapping.group && ` + ${mapping.group.name}`}
          </li>
        ))}
      </ul>
    ),
  },
  {
    key: 'link',
    header: 'Sign-in link',
    cell: (provider) => <code className="mono cell-sub">{provider.signInUrl}</code>,
  },
];

/** The Security tab's identity providers: OpenID Connect single sign-on for the organization. */
export function IdentityProviderList() {
  const { data, error, refetch } = useQuery(IdentityProvidersDocument);
  const [createProvider] = useMutation(CreateIdentityProviderDocument, { refetchQueries: [IdentityProvidersDocument] });
  const [updateProvider] = useMutation(UpdateIdentityProviderDocument);
  const [deleteProvider] = useMutation(DeleteIdentityProviderDocument, { refetchQueries: [IdentityProvidersDocument] });
  const [action, setAction] = useState<Action | null>(null);
  const toast = useToast();
  const close = () => setAction(null);
  const create = () => setAction({ kind: 'create' });

  const columns: Column<IdentityProviderFieldsFragment>[] = [
    ...COLUMNS,
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (provider) => (
        <Menu
          label={`Actions for ${provider.name}`}
          items={[
            { label: 'Edit', onSelect: () => setAction({ kind: 'edit', provider }) },
            { label: 'Delete', tone: 'danger', onSelect: () => setAction({ kind: 'delete', provider }) },
          ]}
        />
      ),
    },
  ];

  return (
    <Section
      wide
      title="Identity providers"
      description="Let members sign in with your company's OpenID Connect provider (Okta, Entra ID, Google, Keycloak…). Their groups there decide their role and groups here at every sign-in."
      actions={
        <Button variant="primary" onClick={create}>
          <PlusIcon />
          Add identity provider
        </Button>
      }
    >
      <QueryResult error={error} data={data} loadingLabel="Loading identity providers" onRetry={() => void refetch()}>
        {(data) => (
          <DataTable
            caption="Identity providers"
            columns={columns}
            rows={data.identityProviders}
            rowKey={(provider) => provider.id}
            empty={
              <EmptyState actionLabel="Add the first identity provider" onAction={create}>
                No identity providers yet: members sign in with their password. An identity provider lets them sign in
                with your company account instead.
              </EmptyState>
            }
          />
        )}
      </QueryResult>
      {action?.kind === 'create' && (
        <IdentityProviderDialog
          onSubmit={async (input) => {
            await createProvider({ variables: { input } });
            toast({ text: `${input.name} added.` });
          }}
          onClose={close}
        />
      )}
      {action?.kind === 'edit' && (
        <IdentityProviderDialog
          provider={action.provider}
          onSubmit={async (input) => {
            await updateProvider({ variables: { id: action.provider.id, input } });
            toast({ text: `${input.name} saved.` });
          }}
          onClose={close}
        />
      )}
      {action?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${action.provider.name}?`}
          confirmLabel="Delete provider"
          onClose={close}
          onConfirm={async () => {
            await deleteProvider({ variables: { id: action.provider.id } });
            close();
            toast({ text: `${action.provider.name} is deleted.` });
          }}
        >
          <p>
            People who sign in only through it keep their accounts but can no longer sign in until you add a provider
            for them again.
          </p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
