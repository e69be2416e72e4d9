import type { MemberStatus } from '@gatehouse/shared/generated';
import { Badge, type BadgeTone } from '../../ui/Badge';

export const MEMBER_STATUS_LABELS: Record<MemberStatus, string> = {
  ACTIVE: 'Active',
  INACTIVE: 'Inactive',
  INVITED: 'Invited',
  INVITATION_EXPIRED: 'Invitation expired',
};

const TONES: Record<MemberStatus, BadgeTone> = {
  ACTIVE: 'success',
  INACTIVE: 'neutral',
  INVITED: 'accent',
  INVITATION_EXPIRED: 'warning',
};

export function MemberStatusBadge({ status }: { status: MemberStatus }) {
  return <Badge tone={TONES[status]}>{MEMBER_STATUS_LABELS[status]}</Badge>;
}
