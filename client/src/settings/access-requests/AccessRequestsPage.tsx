import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  ACCESS_REQUEST_DURATION_PRESETS_MINUTES,
  ACCESS_REQUEST_REASON_MAX_LENGTH,
  BUILT_IN_ROLES,
} from '@gatehouse/shared';
import {
  AccessRequestsDocument,
  ApproveAccessRequestDocument,
  DenyAccessRequestDocument,
  RequestAccessDocument,
  type AccessRequestFieldsFragment,
} from '@gatehouse/shared/generated';
import { hasPermission, useViewer } from '../../app/viewer';
import { Alert } from '../../ui/Alert';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { useFormatDateTime } from '../../ui/dates';
import { Field } from '../../ui/Field';
import { formErrors } from '../../ui/formErrors';
import { Menu } from '../../ui/Menu';
import { QueryResult } from '../../ui/QueryResult';
import { Section } from '../../ui/Section';
import { SelectField } from '../../ui/SelectField';
import { useToast } from '../../ui/Toast';
import { AccessReviewSection } from './AccessReviewSection';

export function durationLabel(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minutes`;
}

const STATUS_TONE = { PENDING: 'warning', APPROVED: 'success', DENIED: 'neutral' } as const;
const refetchQueries = [AccessRequestsDocument];

type Decision = { kind: 'approve' | 'deny'; request: AccessRequestFieldsFragment };

/** Asking for a role for a while, and deciding the requests one could grant. */
export default function AccessRequestsPage() {
  const { data, error, refetch } = useQuery(AccessRequestsDocument);
  const [asking, setAsking] = useState(false);
  const [decision, setDecision] = useState<Decision | null>(null);
  const formatDateTime = useFormatDateTime();
  const viewer = useViewer();

  const columns: Column<AccessRequestFieldsFragment>[] = [
    {
      key: 'who',
      header: 'Requested by',
      cell: (request) => (
        <span className="cell-stack">
          {request.requester.name}
          <span className="cell-sub">{formatDateTime(request.createdAt)}</span>
        </span>
      ),
    },
    {
      key: 'what',
      header: 'Access',
      cell: (request) => (
        <span className="cell-stack">
          {request.role.name}
          {request.workspace ? ` in ${request.workspace.name}` : ''}
          <span className="cell-sub">for {durationLabel(request.durationMinutes)}</span>
        </span>
      ),
    },
    { key: 'reason', header: 'Reason', cell: (request) => request.reason },
    {
      key: 'status',
      header: 'Status',
      cell: (request) => (
        <span className="cell-stack">
          <Badge tone={STATUS_TONE[request.status]}>{request.status.toLowerCase()}</Badge>
          {request.grantedUntil && <span className="cell-sub">until {formatDateTime(request.grantedUntil)}</span>}
          {request.decisionComment && <span className="cell-sub">{request.decisionComment}</span>}
        </span>
      ),
    },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (request) =>
        request.viewerCanDecide && (
          <Menu
            label={`Decide the request of ${request.requester.name}`}
            items={[
              { label: 'Approve', onSelect: () => setDecision({ kind: 'approve', request }) },
              { label: 'Deny', tone: 'danger', onSelect: () => setDecision({ kind: 'deny', request }) },
            ]}
          />
        ),
    },
  ];

  return (
    <div className="page">
      <Section
        wide
        title="Access requests"
        description={`Ask for a role in ${viewer.organization.name} or a workspace for a while; someone who can grant it approves or denies. Requests you can decide are listed here too.`}
        actions={
          <Button variant="primary" onClick={() => setAsking(true)}>
            Request access
          </Button>
        }
      >
        <QueryResult error={error} data={data} loadingLabel="Loading access requests" onRetry={() => void refetch()}>
          {(loaded) => (
            <DataTable
              caption="Access requests"
              columns={columns}
              rows={loaded.accessRequests}
              rowKey={(request) => request.id}
              empty={<p>No access requests yet. Ask for a role you need for a while with “Request access”.</p>}
            />
          )}
        </QueryResult>
      </Section>
      {hasPermission(viewer, 'members:manage') && <AccessReviewSection />}
      {asking && <RequestAccessDialog workspaces={data?.workspaces ?? []} onClose={() => setAsking(false)} />}
      {decision && <DecisionDialog decision={decision} onClose={() => setDecision(null)} />}
    </div>
  );
}

function RequestAccessDialog({
  workspaces,
  onClose,
}: {
  workspaces: readonly { id: string; name: string }[];
  onClose: () => void;
}) {
  const [workspaceId, setWorkspaceId] = useState('');
  const scope = workspaceId ? 'WORKSPACE' : 'TENANT';
  const roles = BUILT_IN_ROLES.filter((role) => role.scope === scope);
  const [roleId, setRoleId] = useState('');
  const [minutes, setMinutes] = useState(String(ACCESS_REQUEST_DURATION_PRESETS_MINUTES[0]));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ form?: string | null; reason?: string }>({});
  const [requestAccess, { loading }] = useMutation(RequestAccessDocument, { refetchQueries });
  const toast = useToast();
  const chosenRole = roles.some((role) => role.id === roleId) ? roleId : roles[0].id;

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await requestAccess({
        variables: {
          input: { roleId: chosenRole, workspaceId: workspaceId || null, durationMinutes: Number(minutes), reason },
        },
      });
      toast({ text: 'Your request was sent to the approvers.' });
      onClose();
    } catch (caught) {
      const errors = formErrors(caught, ['reason']);
      setError({ form: errors.form, reason: errors.fields.reason });
    }
  }

  return (
    <Dialog title="Request access" onClose={onClose} dismissible={!loading}>
      <form className="form" onSubmit={submit} noValidate>
        {error.form && <Alert tone="error">{error.form}</Alert>}
        <SelectField
          label="Where"
          value={workspaceId}
          onChange={setWorkspaceId}
          options={[
            { value: '', label: 'The organization (tenant role)' },
            ...workspaces.map((workspace) => ({ value: workspace.id, label: `Workspace ${workspace.name}` })),
          ]}
        />
        <SelectField
          label="Role"
          value={chosenRole}
          onChange={setRoleId}
          options={roles.map((role) => ({ value: role.id, label: role.name }))}
        />
        <SelectField
          label="For"
          value={minutes}
          onChange={setMinutes}
          options={ACCESS_REQUEST_DURATION_PRESETS_MINUTES.map((value) => ({
            value: String(value),
            label: durationLabel(value),
          }))}
        />
        <Field
          label="Reason"
          value={reason}
          maxLength={ACCESS_REQUEST_REASON_MAX_LENGTH}
          error={error.reason}
          onChange={(event) => setReason(event.target.value)}
        />
        <div className="dialog-actions">
          <Button onClick={onClose} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={loading}>
            Send request
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function DecisionDialog({ decision, onClose }: { decision: Decision; onClose: () => void }) {
  const { request } = decision;
  const [minutes, setMinutes] = useState(String(request.durationMinutes));
  const [comment, setComment] = useState('');
  const [error, setError] = useState<{ form?: string | null; comment?: string }>({});
  const [approve, approving] = useMutation(ApproveAccessRequestDocument, { refetchQueries });
  const [deny, denying] = useMutation(DenyAccessRequestDocument, { refetchQueries });
  const busy = approving.loading || denying.loading;
  const what = `${request.role.name}${request.workspace ? ` in ${request.workspace.name}` : ''}`;
  const shorter = ACCESS_REQUEST_DURATION_PRESETS_MINUTES.filter((value) => value < request.durationMinutes);

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      if (decision.kind === 'approve') {
        await approve({
          variables: { input: { id: request.id, durationMinutes: Number(minutes), comment: comment || null } },
        });
      } else {
        await deny({ variables: { input: { id: request.id, comment } } });
      }
      onClose();
    } catch (caught) {
      const errors = formErrors(caught, ['comment']);
      setError({ form: errors.form, comment: errors.fields.comment });
    }
  }

  return (
    <Dialog
      title={`${decision.kind === 'approve' ? 'Approve' : 'Deny'} ${what} for ${request.requester.name}?`}
      onClose={onClose}
      dismissible={!busy}
    >
      <form className="form" onSubmit={submit} noValidate>
        {error.form && <Alert tone="error">{error.form}</Alert>}
        <p>Reason given: {request.reason}</p>
        {decision.kind === 'approve' && (
          <SelectField
            label="Grant for"
            value={minutes}
            onChange={setMinutes}
            options={[request.durationMinutes, ...shorter].map((value) => ({
              value: String(value),
              label: value === request.durationMinutes ? `${durationLabel(value)} (as asked)` : durationLabel(value),
            }))}
          />
        )}
        <Field
          label="Comment"
          value={comment}
          maxLength={ACCESS_REQUEST_REASON_MAX_LENGTH}
          error={error.comment}
          onChange={(event) => setComment(event.target.value)}
        />
        <div className="dialog-actions">
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant={decision.kind === 'approve' ? 'primary' : 'danger'} busy={busy}>
            {decision.kind === 'approve' ? 'Approve' : 'Deny'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
