import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router-dom';
import {
  AccessOptionsDocument,
  AuditEventsDocument,
  PrincipalOptionsDocument,
  type AuditEventFieldsFragment,
} from '@gatehouse/shared/generated';
import { Badge } from '../../ui/Badge';
import { DataTable, type Column } from '../../ui/DataTable';
import { useFormatDateTime } from '../../ui/dates';
import { Section } from '../../ui/Section';
import { hasPermission, useViewer } from '../../app/viewer';
import { AuditEventDialog } from './components/AuditEventDialog';
import { AuditStreamList } from './components/AuditStreamList';
import { AuditFilters, CATEGORY_LABELS, filterFromParams, exportHref } from './components/AuditFilters';
import { LoadMore, QueryResult } from '../../ui/QueryResult';
import { appendPage } from '../../ui/appendPage';

const PAGE_SIZE = 50;

export default function AuditLogsPage() {
  const [params, setParams] = useSearchParams();
  const filter = filterFromParams(params);
  const formatDateTime = useFormatDateTime();
  const canManageStreams = hasPermission(useViewer(), 'security:manage');
  // The log grows with every action elsewhere in the app: each visit asks the server again.
  const { data, error, loading, refetch, fetchMore } = useQuery(AuditEventsDocument, {
    variables: { first: PAGE_SIZE, filter },
    fetchPolicy: 'cache-and-network',
  });
  const workspaces = useQuery(AccessOptionsDocument).data?.workspaces ?? [];
  const principals = useQuery(PrincipalOptionsDocument).data;
  const [open, setOpen] = useState<AuditEventFieldsFragment | null>(null);
  const workspaceName = (id: string | null) => workspaces.find((workspace) => workspace.id === id)?.name ?? id;

  const columns: Column<AuditEventFieldsFragment>[] = [
    {
      key: 'time',
      header: 'Time',
      className: 'cell-nowrap',
      cell: (event) => (
        <button type="button" className="link-button" onClick={() => setOpen(event)}>
          {formatDateTime(event.occurredAt)}
        </button>
      ),
    },
    // One line per event where the width allows: only the target (an email, a long name) wraps.
    {
      key: 'category',
      header: 'Category',
      className: 'cell-nowrap',
      cell: (event) => CATEGORY_LABELS[event.category],
    },
    { key: 'action', header: 'Action', className: 'cell-nowrap', cell: (event) => <code>{event.action}</code> },
    {
      key: 'actor',
      header: 'Actor',
      className: 'cell-nowrap',
      cell: (event) => (
        <span className="cell-stack">
          {event.actor.name ?? (event.actor.type === 'SYSTEM' ? 'Gatehouse' : 'Anonymous')}
          {event.actor.apiKeyId && <span className="cell-sub">with an API key</span>}
        </span>
      ),
    },
    {
      key: 'target',
      header: 'Target',
      cell: (event) =>
        event.target ? (
          <span className="cell-stack">
            {event.target.name ?? event.target.id}
            <span className="cell-sub">{event.target.type}</span>
          </span>
        ) : (
          <span className="text-subtle">—</span>
        ),
    },
    {
      key: 'workspace',
      header: 'Workspace',
      cell: (event) => (event.workspaceId ? workspaceName(event.workspaceId) : <span className="text-subtle">—</span>),
    },
    {
      key: 'outcome',
      header: 'Outcome',
      cell: (event) =>
        event.outcome === 'SUCCESS' ? <Badge tone="success">Success</Badge> : <Badge tone="danger">Failure</Badge>,
    },
  ];

  const pageInfo = data?.auditEvents.pageInfo;
  return (
    <div className="page">
      <Section
        wide
        title="Audit log"
        description="Every change and sign-in in this organization, newest first. Each event is chained to the one before it by its hash, so an altered or removed event shows."
        actions={
          <span className="row-actions">
            <a className="button button-secondary" href={exportHref('csv', params)} download>
              Export CSV
            </a>
            <a className="button button-secondary" href={exportHref('ndjson', params)} download>
              Export NDJSON
            </a>
          </span>
        }
      >
        <AuditFilters
          params={params}
          onChange={(next) => setParams(next, { replace: true })}
          workspaces={workspaces}
          principals={principals}
        />
        <QueryResult error={error} data={data} loadingLabel="Loading the audit log" onRetry={() => void refetch()}>
          {(data) => (
            <>
              <DataTable
                caption="Audit events"
                columns={columns}
                rows={data.auditEvents.nodes}
                rowKey={(event) => event.id}
                empty={<p>No events match these filters.</p>}
              />
              <LoadMore
                pageInfo={pageInfo}
                loading={loading}
                onLoadMore={() =>
                  void fetchMore({
                    variables: { after: pageInfo?.endCursor },
                    updateQuery: appendPage('auditEvents'),
                  })
                }
              />
            </>
          )}
        </QueryResult>
      </Section>
      <AuditStreamList canManage={canManageStreams} />
      {open && (
        <AuditEventDialog
          event={open}
          workspaceName={open.workspaceId ? workspaceName(open.workspaceId) : null}
          onShowTarget={(targetId) => {
            const next = new URLSearchParams(params);
            next.set('target', targetId);
            setParams(next, { replace: true });
            setOpen(null);
          }}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
