import { useMutation, useQuery } from '@apollo/client/react';
import {
  AccessReviewsDocument,
  CompleteAccessReviewDocument,
  DecideAccessReviewItemDocument,
  StartAccessReviewDocument,
  type AccessReviewItemFieldsFragment,
} from '@gatehouse/shared/generated';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { DataTable, type Column } from '../../ui/DataTable';
import { useFormatDateTime } from '../../ui/dates';
import { Menu } from '../../ui/Menu';
import { QueryResult } from '../../ui/QueryResult';
import { Section } from '../../ui/Section';
import { useReportedAction } from '../../ui/Toast';

const refetchQueries = [AccessReviewsDocument];
const OUTCOME_TONE = { KEPT: 'neutral', REMOVED: 'success', REFUSED: 'danger' } as const;

function grantLabel(item: AccessReviewItemFieldsFragment): string {
  if (item.kind === 'GROUP_MEMBERSHIP') return `Member of group ${item.groupName}`;
  if (item.kind === 'WORKSPACE_ROLE') return `${item.roleName} in ${item.workspaceName}`;
  return `${item.roleName} (tenant role)`;
}

/**
 * Reviewing access: a snapshot of the removable grants, each marked Keep or Remove; completing
 * removes the Remove ones (a refused removal, such as the last Admin, is shown on its row).
 */
export function AccessReviewSection() {
  const { data, error, refetch } = useQuery(AccessReviewsDocument);
  const [start, starting] = useMutation(StartAccessReviewDocument, { refetchQueries });
  const [decide] = useMutation(DecideAccessReviewItemDocument);
  const [complete, completing] = useMutation(CompleteAccessReviewDocument, { refetchQueries });
  const report = useReportedAction();
  const formatDateTime = useFormatDateTime();
  const review = data?.accessReviews[0];
  const open = review?.status === 'OPEN';

  const setDecision = (item: AccessReviewItemFieldsFragment, decision: 'KEEP' | 'REMOVE') =>
    report(() => decide({ variables: { itemId: item.id, decision } }), {
      text: `${item.principalName}: ${grantLabel(item)} will be ${decision === 'KEEP' ? 'kept' : 'removed'}.`,
    });

  const columns: Column<AccessReviewItemFieldsFragment>[] = [
    { key: 'who', header: 'Principal', cell: (item) => item.principalName },
    {
      key: 'grant',
      header: 'Grant',
      cell: (item) => (
        <span className="cell-stack">
          {grantLabel(item)}
          {item.expiresAt && <span className="cell-sub">until {formatDateTime(item.expiresAt)}</span>}
        </span>
      ),
    },
    {
      key: 'decision',
      header: 'Decision',
      cell: (item) => (
        <span className="cell-stack">
          {item.outcome ? (
            <Badge tone={OUTCOME_TONE[item.outcome]}>{item.outcome.toLowerCase()}</Badge>
          ) : (
            <Badge tone={item.decision === 'REMOVE' ? 'warning' : 'neutral'}>
              {item.decision === 'REMOVE' ? 'remove' : item.decision === 'KEEP' ? 'keep' : 'undecided'}
            </Badge>
          )}
          {item.refusedBecause && <span className="cell-sub">{item.refusedBecause}</span>}
        </span>
      ),
    },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (item) =>
        open && (
          <Menu
            label={`Decide ${grantLabel(item)} of ${item.principalName}`}
            items={[
              ...(item.decision === 'KEEP' ? [] : [{ label: 'Keep', onSelect: () => void setDecision(item, 'KEEP') }]),
              ...(item.decision === 'REMOVE'
                ? []
                : [{ label: 'Remove', tone: 'danger' as const, onSelect: () => void setDecision(item, 'REMOVE') }]),
            ]}
          />
        ),
    },
  ];

  return (
    <Section
      wide
      title="Review access"
      description={
        review
          ? open
            ? `Review started ${formatDateTime(review.startedAt)}. Mark each grant Keep or Remove, then complete the review; undecided grants are kept.`
            : `Last review completed ${formatDateTime(review.completedAt!)}: ${review.removedCount} removed.`
          : 'Go through every tenant role, workspace role and group membership, and keep or remove each. The result is in the audit log.'
      }
      actions={
        // Only once loaded: "Start review" shown while loading would turn into "Complete review" mid-transition.
        !data ? null : open ? (
          <Button
            variant="primary"
            busy={completing.loading}
            onClick={() =>
              void report(() => complete({ variables: { id: review.id } }), { text: 'Access review completed.' })
            }
          >
            Complete review
          </Button>
        ) : (
          <Button
            busy={starting.loading}
            onClick={() => void report(() => start(), { text: 'Access review started.' })}
          >
            Start review
          </Button>
        )
      }
    >
      <QueryResult error={error} data={data} loadingLabel="Loading access reviews" onRetry={() => void refetch()}>
        {() =>
          review ? (
            <DataTable
              caption="Grants under review"
              columns={columns}
              rows={review.items}
              rowKey={(item) => item.id}
              empty={<p>No grants to review: nobody holds more than the Consumer role.</p>}
            />
          ) : (
            <p>No access reviews yet. Start one to decide who keeps which grant.</p>
          )
        }
      </QueryResult>
    </Section>
  );
}
