import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  EndOtherSessionsDocument,
  EndSessionDocument,
  MySecurityLogDocument,
  MySessionsDocument,
  type MySessionsQuery,
} from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Badge } from '../../../ui/Badge';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable } from '../../../ui/DataTable';
import { useFormatDateTime } from '../../../ui/dates';
import { formErrors } from '../../../ui/formErrors';
import { Section } from '../../../ui/Section';
import { Spinner } from '../../../ui/Spinner';
import { LoadMore } from '../../../ui/QueryResult';
import { appendPage } from '../../../ui/appendPage';
import { displayIp } from '../../../ui/ipAddress';

type Session = MySessionsQuery['mySessions'][number];

export function SessionsSection() {
  const formatDateTime = useFormatDateTime();
  const { data, error } = useQuery(MySessionsDocument, { fetchPolicy: 'cache-and-network' });
  const refetchQueries = [MySessionsDocument, MySecurityLogDocument];
  const [endSession] = useMutation(EndSessionDocument, { refetchQueries, awaitRefetchQueries: true });
  const [endOtherSessions] = useMutation(EndOtherSessionsDocument, { refetchQueries, awaitRefetchQueries: true });
  const [ending, setEnding] = useState<Session | 'others' | null>(null);
  const others = data?.mySessions.filter((session) => !session.current).length ?? 0;

  return (
    <Section
      wide
      title="Sessions"
      description="Browsers signed in to your account. Sign out any you do not recognise."
      actions={
        others > 0 && (
          <Button variant="danger" onClick={() => setEnding('others')}>
            Sign out other sessions
          </Button>
        )
      }
    >
      {error ? (
        <Alert tone="error">{formErrors(error, []).form}</Alert>
      ) : !data ? (
        <Spinner label="Loading sessions" />
      ) : (
        <DataTable
          caption="Sessions"
          rows={data.mySessions}
          rowKey={(session) => session.id}
          empty={<p>No sessions.</p>}
          columns={[
            {
              key: 'device',
              header: 'Device',
              cell: (session) => (
                <span className="cell-with-badge">
                  {session.device}
                  {session.current && <Badge tone="accent">This device</Badge>}
                </span>
              ),
            },
            { key: 'ip', header: 'IP address', cell: (session) => displayIp(session.ip) },
            { key: 'created', header: 'Signed in', className: 'cell-nowrap', cell: (s) => formatDateTime(s.createdAt) },
            { key: 'seen', header: 'Last seen', className: 'cell-nowrap', cell: (s) => formatDateTime(s.lastSeenAt) },
            {
              key: 'actions',
              header: 'Actions',
              hideHeader: true,
              className: 'cell-actions',
              cell: (session) =>
                session.current ? null : (
                  <Button size="sm" aria-label={`Sign out ${session.device}`} onClick={() => setEnding(session)}>
                    Sign out
                  </Button>
                ),
            },
          ]}
        />
      )}
      {ending && (
        <ConfirmDialog
          title={ending === 'others' ? 'Sign out every other session?' : `Sign out ${ending.device}?`}
          confirmLabel="Sign out"
          onClose={() => setEnding(null)}
          onConfirm={async () => {
            if (ending === 'others') await endOtherSessions();
            else await endSession({ variables: { id: ending.id } });
            setEnding(null);
          }}
        >
          <p>
            {ending === 'others'
              ? `The ${others === 1 ? 'other browser' : `${others} other browsers`} will need to sign in again. This one stays signed in.`
              : 'That browser will need to sign in again.'}
          </p>
        </ConfirmDialog>
      )}
    </Section>
  );
}

const ACTION_LABELS: Record<string, string> = {
  'user.signedUp': 'Account created',
  'user.signedIn': 'Signed in',
  'user.signedInWithSso': 'Signed in with single sign-on',
  'user.signedInWithProvider': 'Signed in with a connected account',
  'user.signInMethodConnected': 'Sign-in method connected',
  'user.signInMethodDisconnected': 'Sign-in method disconnected',
  'user.signInFailed': 'Failed sign-in',
  'user.signedOut': 'Signed out',
  'user.passwordChanged': 'Password changed',
  'user.passwordChangeFailed': 'Password change refused',
  'user.passwordResetRequested': 'Password reset requested',
  'user.passwordReset': 'Password reset',
  'user.sessionEnded': 'Session signed out',
  'user.otherSessionsEnded': 'Other sessions signed out',
  'user.twoFactorEnabled': 'Two-factor authentication turned on',
  'user.twoFactorDisabled': 'Two-factor authentication turned off',
};

export function SecurityLogSection() {
  const formatDateTime = useFormatDateTime();
  const { data, error, fetchMore, loading } = useQuery(MySecurityLogDocument, { fetchPolicy: 'cache-and-network' });
  const pageInfo = data?.mySecurityLog.pageInfo;
  return (
    <Section wide title="Security log" description="Sign-ins, failed sign-ins and changes to how you sign in.">
      {error ? (
        <Alert tone="error">{formErrors(error, []).form}</Alert>
      ) : !data ? (
        <Spinner label="Loading the security log" />
      ) : (
        <>
          <DataTable
            caption="Security log"
            rows={data.mySecurityLog.nodes}
            rowKey={(event) => event.id}
            empty={<p>Nothing yet.</p>}
            columns={[
              { key: 'time', header: 'Time', className: 'cell-nowrap', cell: (e) => formatDateTime(e.occurredAt) },
              {
                key: 'event',
                header: 'Event',
                cell: (event) => (
                  <span className="cell-with-badge">
                    {ACTION_LABELS[event.action] ?? event.action}
                    {event.outcome === 'FAILURE' && <Badge tone="danger">Failed</Badge>}
                  </span>
                ),
              },
              { key: 'ip', header: 'IP address', cell: (event) => displayIp(event.ip) },
            ]}
          />
          <LoadMore
            pageInfo={pageInfo}
            loading={loading}
            onLoadMore={() =>
              void fetchMore({
                variables: { after: pageInfo?.endCursor },
                updateQuery: appendPage('mySecurityLog'),
              })
            }
          />
        </>
      )}
    </Section>
  );
}
