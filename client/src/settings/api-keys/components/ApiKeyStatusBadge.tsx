import type { ApiKeyStatus } from '@gatehouse/shared/generated';
import { Badge, type BadgeTone } from '../../../ui/Badge';

const LOOK: Record<ApiKeyStatus, { tone: BadgeTone; label: string }> = {
  ACTIVE: { tone: 'success', label: 'Active' },
  REVOKED: { tone: 'danger', label: 'Revoked' },
  EXPIRED: { tone: 'warning', label: 'Expired' },
};

export function ApiKeyStatusBadge({ status }: { status: ApiKeyStatus }) {
  const { tone, label } = LOOK[status];
  return <Badge tone={tone}>{label}</Badge>;
}
