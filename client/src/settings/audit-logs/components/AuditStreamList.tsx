import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  AuditStreamsDocument,
  DeleteAuditStreamDocument,
  TestAuditStreamDocument,
  UpdateAuditStreamDocument,
  type AuditStreamFieldsFragment,
} from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Badge } from '../../../ui/Badge';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { useFormatDateTime } from '../../../ui/dates';
import { Dialog } from '../../../ui/Dialog';
import { errorMessage } from '../../../ui/formErrors';
import { PlusIcon } from '../../../ui/icons';
import { Menu } from '../../../ui/Menu';
import { QueryResult } from '../../../ui/QueryResult';
import { Section } from '../../../ui/Section';
import { NewAuditStreamDialog } from './NewAuditStreamDialog';

const STATUS = {
  ACTIVE: <Badge tone="success">Active</Badge>,
  FAILING: <Badge tone="warning">Failing</Badge>,
  PAUSED: <Badge tone="danger">Paused</Badge>,
} as const;

type Delivery = AuditStreamFieldsFragment['deliveries'][number];

/** The last attempts of a stream: what was sent, how the receiver answered, how long it took. */
function DeliveryLog({ stream, onClose }: { stream: AuditStreamFieldsFragment; onClose: () => void }) {
  const formatDateTime = useFormatDateTime();
  const columns: Column<Delivery>[] = [
    { key: 'time', header: 'Time', className: 'cell-nowrap', cell: (d) => formatDateTime(d.attemptedAt) },
    {
      key: 'what',
      header: 'Sent',
      cell: (d) =>
        d.test
          ? 'Test message'
          : d.firstSequence === d.lastSequence
            ? `Event ${d.firstSequence}`
            : `Events ${d.firstSequence}–${d.lastSequence}`,
    },
    {
      key: 'result',
      header: 'Result',
      cell: (d) =>
        d.success ? <Badge tone="success">Delivered</Badge> : <Badge tone="danger">{d.errorCode ?? 'Failed'}</Badge>,
    },
    { key: 'code', header: 'Response', cell: (d) => d.responseCode ?? '—' },
    { key: 'latency', header: 'Latency', cell: (d) => `${d.latencyMs} ms` },
  ];
  return (
    <Dialog title={`Deliveries of ${stream.name}`} onClose={onClose} size="lg">
      <DataTable
        caption="Delivery attempts"
        columns={columns}
        rows={stream.deliveries}
        rowKey={(d) => d.id}
        empty={<p>Nothing sent yet.</p>}
      />
    </Dialog>
  );
}

/**
 * The Audit Logs tab's streams: where the organization's events are delivered, in order and
 * signed, for a SIEM or an integration. Changing them needs security:manage.
 */
export function AuditStreamList({ canManage }: { canManage: boolean }) {
  const formatDateTime = useFormatDateTime();
  // Statuses and delivery logs change in the background: every visit asks again.
  const { data, error, refetch } = useQuery(AuditStreamsDocument, { fetchPolicy: 'cache-and-network' });
  const [updateStream] = useMutation(UpdateAuditStreamDocument);
  const [testStream] = useMutation(TestAuditStreamDocument, { refetchQueries: [AuditStreamsDocument] });
  const [deleteStream] = useMutation(DeleteAuditStreamDocument, { refetchQueries: [AuditStreamsDocument] });
  const [adding, setAdding] = useState(false);
  const [testing, setTesting] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<AuditStreamFieldsFragment | null>(null);

  async function run(action: () => Promise<unknown>, field: string) {
    setNotice(null);
    try {
      await action();
    } catch (caught) {
      setNotice({ tone: 'error', text: errorMessage(caught, field) });
    }
  }

  async function sendTest(stream: AuditStreamFieldsFragment) {
    setTesting(stream.id);
    await run(async () => {
      const result = await testStream({ variables: { id: stream.id } });
      const delivery = result.data?.testAuditStream;
      setNotice(
        delivery?.success
          ? { tone: 'success', text: `The test message reached ${stream.name} (HTTP ${delivery.responseCode}).` }
          : { tone: 'error', text: `The test message did not reach ${stream.name}: ${delivery?.errorCode}.` },
      );
    }, 'id');
    setTesting(null);
  }

  const columns: Column<AuditStreamFieldsFragment>[] = [
    {
      key: 'name',
      header: 'Stream',
      cell: (stream) => (
        <div className="cell-stack">
          <span>{stream.name}</span>
          <span className="cell-sub mono">{stream.url}</span>
        </div>
      ),
    },
    {
      key: 'kind',
      header: 'Kind',
      cell: (stream) => (stream.kind === 'WEBHOOK' ? 'Webhook' : `Batch of ${stream.batchSize}`),
    },
    {
      key: 'status',
      header: 'Status',
      cell: (stream) => (
        <div className="cell-stack">
          {STATUS[stream.status]}
          {stream.lastError && <span className="cell-sub">Last error: {stream.lastError}</span>}
        </div>
      ),
    },
    {
      key: 'delivered',
      header: 'Delivered',
      cell: (stream) => (
        <div className="cell-stack">
          <span>Up to event {stream.deliveredSequence}</span>
          <span className="cell-sub">
            {stream.lastDeliveredAt ? formatDateTime(stream.lastDeliveredAt) : 'Nothing yet'}
          </span>
        </div>
      ),
    },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (stream) => (
        <div className="row-actions">
          <Button size="sm" onClick={() => setInspecting(stream.id)} aria-label={`Deliveries of ${stream.name}`}>
            Deliveries
          </Button>
          {canManage && (
            <>
              <Button
                size="sm"
                busy={testing === stream.id}
                aria-label={`Send a test message to ${stream.name}`}
                onClick={() => void sendTest(stream)}
              >
                Test
              </Button>
              <Menu
                label={`Actions for ${stream.name}`}
                items={[
                  {
                    label: stream.status === 'PAUSED' ? 'Resume' : 'Pause',
                    onSelect: () =>
                      void run(
                        () =>
                          updateStream({
                            variables: { id: stream.id, input: { paused: stream.status !== 'PAUSED' } },
                          }),
                        'paused',
                      ),
                  },
                  { label: 'Delete', tone: 'danger', onSelect: () => setDeleting(stream) },
                ]}
              />
            </>
          )}
        </div>
      ),
    },
  ];

  const inspected = data?.auditStreams.find((stream) => stream.id === inspecting);
  return (
    <Section
      wide
      title="Audit streams"
      description="Deliver every event to your SIEM or an integration, in order and signed (Standard Webhooks). Each event carries its sequence and hashes, so the receiver can check that nothing is missing."
      actions={
        canManage && (
          <Button variant="primary" onClick={() => setAdding(true)}>
            <PlusIcon />
            Add stream
          </Button>
        )
      }
    >
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
      <QueryResult error={error} data={data} loadingLabel="Loading audit streams" onRetry={() => void refetch()}>
        {(data) => (
          <DataTable
            caption="Audit streams"
            columns={columns}
            rows={data.auditStreams}
            rowKey={(stream) => stream.id}
            empty={<p>No stream yet.</p>}
          />
        )}
      </QueryResult>
      {adding && <NewAuditStreamDialog onClose={() => setAdding(false)} />}
      {inspected && <DeliveryLog stream={inspected} onClose={() => setInspecting(null)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete stream"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteStream({ variables: { id: deleting.id } });
            setDeleting(null);
          }}
        >
          <p>Events are no longer delivered to {deleting.url}. The audit log itself is kept.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
