import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  ConnectedSignInMethodsDocument,
  DisconnectSignInMethodDocument,
  MySecurityLogDocument,
  SignInMethodsDocument,
  type ConnectedSignInMethodsQuery,
} from '@gatehouse/shared/generated';
import { isSocialProviderId } from '@gatehouse/shared';
import { useViewer } from '../../../app/viewer';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable } from '../../../ui/DataTable';
import { useFormatDateTime } from '../../../ui/dates';
import { formErrors } from '../../../ui/formErrors';
import { Section } from '../../../ui/Section';
import { Spinner } from '../../../ui/Spinner';

type Method = ConnectedSignInMethodsQuery['connectedSignInMethods'][number];

/** How the person signs in: their password and the provider accounts connected to them. */
export function ConnectedSignInMethodsSection() {
  const { user } = useViewer();
  const formatDateTime = useFormatDateTime();
  const { data, error } = useQuery(ConnectedSignInMethodsDocument, { fetchPolicy: 'cache-and-network' });
  const available = useQuery(SignInMethodsDocument).data?.signInMethods ?? [];
  const [disconnect] = useMutation(DisconnectSignInMethodDocument, {
    refetchQueries: [ConnectedSignInMethodsDocument, MySecurityLogDocument],
    awaitRefetchQueries: true,
  });
  const [leaving, setLeaving] = useState<Method | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const connected = new Set(data?.connectedSignInMethods.map((method) => method.provider));
  const names = data?.connectedSignInMethods.map((method) => method.name).join(', ');

  return (
    <Section
      wide
      title="Connected sign-in methods"
      description={
        user.hasPassword
          ? 'You sign in with your password, or with any account connected here.'
          : `You sign in with ${names || 'a connected account'}; your account has no password, so password and two-factor settings are managed there.`
      }
      actions={available
        .filter((method) => !connected.has(method.id))
        .map((method) => (
          <a key={method.id} className="button button-secondary" href={`${method.startUrl}?connect=1`}>
            Connect {method.name}
          </a>
        ))}
    >
      {failure && <Alert tone="error">{failure}</Alert>}
      {error ? (
        <Alert tone="error">{formErrors(error, []).form}</Alert>
      ) : !data ? (
        <Spinner label="Loading sign-in methods" />
      ) : (
        <DataTable
          caption="Connected sign-in methods"
          rows={data.connectedSignInMethods}
          rowKey={(method) => `${method.provider} ${method.name}`}
          empty={<p>No accounts connected.</p>}
          columns={[
            { key: 'name', header: 'Provider', cell: (method) => method.name },
            { key: 'email', header: 'Account', cell: (method) => method.email ?? '—' },
            {
              key: 'connected',
              header: 'Connected',
              className: 'cell-nowrap',
              cell: (method) => formatDateTime(method.connectedAt),
            },
            {
              key: 'used',
              header: 'Last used',
              className: 'cell-nowrap',
              cell: (method) => formatDateTime(method.lastUsedAt),
            },
            {
              key: 'actions',
              header: 'Actions',
              hideHeader: true,
              className: 'cell-actions',
              cell: (method) =>
                isSocialProviderId(method.provider) && (
                  <Button size="sm" aria-label={`Disconnect ${method.name}`} onClick={() => setLeaving(method)}>
                    Disconnect
                  </Button>
                ),
            },
          ]}
        />
      )}
      {leaving && (
        <ConfirmDialog
          title={`Disconnect ${leaving.name}?`}
          confirmLabel="Disconnect"
          onClose={() => setLeaving(null)}
          onConfirm={async () => {
            setFailure(null);
            try {
              if (isSocialProviderId(leaving.provider)) await disconnect({ variables: { provider: leaving.provider } });
            } catch (caught) {
              setFailure(formErrors(caught, []).form ?? 'Could not disconnect.');
            }
            setLeaving(null);
          }}
        >
          <p>You will no longer be able to sign in with this {leaving.name} account.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
