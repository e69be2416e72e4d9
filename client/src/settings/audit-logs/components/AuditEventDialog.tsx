import type { AuditEventFieldsFragment } from '@gatehouse/shared/generated';
import { Button } from '../../../ui/Button';
import { useFormatDateTime } from '../../../ui/dates';
import { Dialog } from '../../../ui/Dialog';
import { CATEGORY_LABELS } from './AuditFilters';
import { displayIp } from '../../../ui/ipAddress';

type Changes = Record<string, { before: unknown; after: unknown }>;

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Everything recorded about one event: where it came from, what changed, and its place in the chain. */
export function AuditEventDialog({
  event,
  workspaceName,
  onShowTarget,
  onClose,
}: {
  event: AuditEventFieldsFragment;
  workspaceName: string | null;
  onShowTarget: (targetId: string) => void;
  onClose: () => void;
}) {
  const formatDateTime = useFormatDateTime();
  const changes = Object.entries((event.changes ?? {}) as Changes);
  const rows: [string, string][] = [
    ['Time', formatDateTime(event.occurredAt)],
    ['Category', CATEGORY_LABELS[event.category]],
    [
      'Outcome',
      event.outcome === 'SUCCESS' ? 'Success' : `Failure${event.failureReason ? `: ${event.failureReason}` : ''}`,
    ],
    ['Actor', `${event.actor.name ?? event.actor.type} (${event.actor.type.toLowerCase().replace('_', ' ')})`],
    ['API key', event.actor.apiKeyId ?? '—'],
    ['Target', event.target ? `${event.target.name ?? event.target.id} (${event.target.type})` : '—'],
    ['Workspace', workspaceName ?? '—'],
    ['IP address', displayIp(event.ip)],
    ['User agent', event.userAgent ?? '—'],
    ['Request id', event.requestId ?? '—'],
    ['Sequence', String(event.sequence)],
    ['Hash', event.hash],
    ['Previous hash', event.previousHash],
  ];
  return (
    <Dialog
      title={event.action}
      onClose={onClose}
      size="lg"
      footer={
        <div className="dialog-actions">
          {event.target && <Button onClick={() => onShowTarget(event.target!.id)}>Show events for this target</Button>}
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </div>
      }
    >
      <dl className="detail-list">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className={label.endsWith('ash') || label === 'Request id' ? 'mono' : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
      <h3 className="dialog-subheading">Changes</h3>
      {changes.length === 0 ? (
        <p className="text-subtle">No field changes recorded.</p>
      ) : (
        <table className="data-table changes-table">
          <caption className="visually-hidden">Changes</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {changes.map(([field, change]) => (
              <tr key={field}>
                <td>{field}</td>
                <td className="mono">{show(change.before)}</td>
                <td className="mono">{show(change.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
