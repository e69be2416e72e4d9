import type { RequestContext } from '../kernel/context';
import { DEFAULT_PAGE_SIZE, type Page, type PageArgs, decodeCursor, encodeCursor, toPage } from '../kernel/connection';
import { diff, record } from '../audit-log/audit-log.service';
import { assertMayGrantTenantPermissions } from '../auth/effective-permissions';
import { requireAuth, requireId } from '../auth/policies';
import { LAST_ADMIN, LAST_WORKSPACE_OWNER, withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { MembershipEntity } from '../organization/membership.entity';
import { permissionsOfRole } from '../role/role-permissions';
import { requireGrantableTenantRole } from '../role/role.service';
import { User } from '../user/user.types';
import type { MemberFilter, UpdateMemberInput } from './member.inputs';
import { Member, MemberStatus } from './member.types';
import type { PendingWorkspaceRole } from '../invitation/invitation.entity';
import { pendingGroups, pendingWorkspaceRoles } from '../invitation/invitation.service';
import { groupsOfUser } from '../group/group.service';
import type { Group } from '../group/group.types';
import { workspacesOfUser } from '../workspace/workspace.service';
import { refuseIfManagedMember } from '../scim/scim-managed';
import type { WorkspaceAssignment } from '../workspace/workspace.types';

interface MemberRow {
  id: string;
  invitation_id: string | null;
  email: string;
  username: string | null;
  first_name: string;
  last_name: string;
  role_id: string;
  status: MemberStatus;
  last_active_at: Date | null;
  expires_at: Date | null;
  created_at: Date;
  theme: string;
  has_password: boolean;
  group_ids: string[] | null;
  workspace_roles: PendingWorkspaceRole[] | null;
}

/**
 * People and pending invitations in one list ordered by email, so the Users tab pages through
 * both with one keyset: (email, id).
 */
export async function listMembers(ctx: RequestContext, page: PageArgs, filter?: MemberFilter): Promise<Page<Member>> {
  const auth = requireAuth(ctx);
  const first = page.first ?? DEFAULT_PAGE_SIZE;
  const after = page.after ? decodeCursor(page.after, 2) : null;
  const search = filter?.search?.trim().toLowerCase();
  const rows: MemberRow[] = await ctx.db.query(
    `SELECT * FROM (
       SELECT u.id, NULL::uuid AS invitation_id, u.email, u.username, u.first_name, u.last_name, m.role_id,
              m.status, m.last_active_at, NULL::timestamptz AS expires_at, m.created_at, u.theme,
              u.password_hash IS NOT NULL AS has_password, NULL::uuid[] AS group_ids, NULL::jsonb AS workspace_roles
       FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organization_id = $1 AND u.kind = 'HUMAN'
       UNION ALL
       SELECT i.id, i.id, i.email, NULL, '', '', i.role_id,
              CASE WHEN i.expires_at <= now() THEN 'INVITATION_EXPIRED' ELSE 'INVITED' END,
              NULL, i.expires_at, i.created_at, 'SYSTEM', false, i.group_ids, i.workspace_roles
       FROM invitations i
       WHERE i.organization_id = $1 AND i.accepted_at IS NULL AND i.cancelled_at IS NULL
     ) member
     WHERE ($2::text[] IS NULL OR status = ANY($2))
       AND ($3::text IS NULL OR role_id = $3)
       AND ($4::text IS NULL OR strpos(lower(email || ' ' || coalesce(username, '') || ' ' || first_name || ' ' || last_name), $4) > 0)
       AND ($5::text IS NULL OR (email, id) > ($5, $6::uuid))
     ORDER BY email, id
     LIMIT $7`,
    [
      auth.organizationId,
      filter?.status?.length ? filter.status : null,
      filter?.roleId ?? null,
      search || null,
      after ? String(after[0]) : null,
      after ? String(after[1]) : null,
      first + 1,
    ],
  );
  return toPage(rows.map(memberFromRow), first, (member) => encodeCursor([member.email, member.id]));
}

function memberFromRow(row: MemberRow): Member {
  return Object.assign(new Member(), {
    id: row.id,
    user: row.invitation_id
      ? null
      : Object.assign(new User(), {
          id: row.id,
          email: row.email,
          username: row.username,
          firstName: row.first_name,
          lastName: row.last_name,
          theme: row.theme,
          hasPassword: row.has_password,
        }),
    email: row.email,
    status: row.status,
    lastActiveAt: row.last_active_at,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    roleId: row.role_id,
    pending: row.invitation_id ? { groupIds: row.group_ids ?? [], workspaceRoles: row.workspace_roles ?? [] } : null,
  });
}

export function memberFromMembership(membership: MembershipEntity): Member {
  return Object.assign(new Member(), {
    id: membership.userId,
    user: User.from(membership.user),
    email: membership.user.email ?? '',
    status: membership.status as MemberStatus,
    lastActiveAt: membership.lastActiveAt,
    expiresAt: null,
    createdAt: membership.createdAt,
    roleId: membership.roleId,
    pending: null,
  });
}

/**
 * Changes a member's (or service account's) tenant role and status. The caller can neither
 * hand out nor take away a role with more power than their own; the last active Admin is
 * protected by the database; keys stop or change on every instance at once.
 */
export async function changeMembership(
  ctx: RequestContext,
  tx: Transaction,
  membership: MembershipEntity,
  changes: { roleId?: string | null; status?: MemberStatus | null },
  audit: { action: string; target: { type: string; id: string; name: string } },
): Promise<MembershipEntity> {
  assertMayGrantTenantPermissions(ctx, permissionsOfRole(membership.role));
  const role = changes.roleId ? await requireGrantableTenantRole(ctx, tx, changes.roleId) : membership.role;
  const status = (changes.status as 'ACTIVE' | 'INACTIVE' | undefined) ?? membership.status;
  const auditChanges = diff({ roleId: membership.roleId, status: membership.status }, { roleId: role.id, status });
  if (!auditChanges) return membership;
  if (status !== membership.status) await refuseIfManagedMember(tx, membership);
  await writeMembershipAccess(tx, membership, { roleId: role.id, status });
  await record(ctx, tx, {
    category: 'SYSTEM_CONFIGURATION',
    action: audit.action,
    target: audit.target,
    changes: auditChanges,
  });
  return Object.assign(membership, { roleId: role.id, role, status });
}

/** Takes a member out of the organization: membership, keys, sessions, groups and workspace roles there. */
export async function endMembership(
  ctx: RequestContext,
  tx: Transaction,
  membership: MembershipEntity,
  audit: { action: string; target: { type: string; id: string; name: string } },
): Promise<void> {
  assertMayGrantTenantPermissions(ctx, permissionsOfRole(membership.role));
  await refuseIfManagedMember(tx, membership);
  await deleteMembership(tx, membership);
  await record(ctx, tx, { category: 'SYSTEM_CONFIGURATION', action: audit.action, target: audit.target });
}

const revokeSessions = (tx: Transaction, { userId, organizationId }: MembershipEntity) =>
  tx.query(
    'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND organization_id = $2 AND revoked_at IS NULL',
    [userId, organizationId],
  );

/**
 * Writes a membership's role and status. INACTIVE ends its sessions at once and its keys stop on
 * every instance (they need an active membership); ACTIVE lets both work again. The last active
 * Admin is protected by the database. Shared by member management and SCIM provisioning.
 */
export async function writeMembershipAccess(
  tx: Transaction,
  membership: MembershipEntity,
  values: { roleId: string; status: 'ACTIVE' | 'INACTIVE' },
): Promise<void> {
  await withConstraints(() => tx.update(MembershipEntity, { id: membership.id }, values), LAST_ADMIN);
  if (values.status === 'INACTIVE') await revokeSessions(tx, membership);
}

/** Deletes a membership with its keys, sessions, groups and workspace roles in that organization. */
export async function deleteMembership(tx: Transaction, membership: MembershipEntity): Promise<void> {
  const { userId, organizationId } = membership;
  await withConstraints(
    async () => {
      await tx.query('DELETE FROM workspace_members WHERE user_id = $1 AND organization_id = $2', [
        userId,
        organizationId,
      ]);
      await tx.query('DELETE FROM group_members WHERE user_id = $1 AND organization_id = $2', [userId, organizationId]);
      await tx.delete(MembershipEntity, { id: membership.id });
    },
    { ...LAST_ADMIN, ...LAST_WORKSPACE_OWNER },
  );
  await revokeSessions(tx, membership);
}

async function humanMemberForChange(ctx: RequestContext, tx: Transaction, userId: string): Promise<MembershipEntity> {
  const membership = await tx
    .getRepository(MembershipEntity)
    .createQueryBuilder('m')
    .innerJoinAndSelect('m.user', 'user')
    .innerJoinAndSelect('m.role', 'role')
    .where('m.organization_id = :org AND m.user_id = :userId AND user.kind = :kind', {
      org: requireAuth(ctx).organizationId,
      userId: requireId(userId, 'Member'),
      kind: 'HUMAN',
    })
    .setLock('pessimistic_write', undefined, ['m'])
    .getOne();
  if (!membership) throw AppError.notFound('Member');
  return membership;
}

export async function updateMember(ctx: RequestContext, input: UpdateMemberInput): Promise<Member> {
  return ctx.db.transaction(async (tx) => {
    const membership = await humanMemberForChange(ctx, tx, input.userId);
    const changed = await changeMembership(ctx, tx, membership, input, {
      action: 'member.updated',
      target: { type: 'user', id: membership.userId, name: membership.user.displayName },
    });
    return memberFromMembership(changed);
  });
}

export async function removeMember(ctx: RequestContext, userId: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const membership = await humanMemberForChange(ctx, tx, userId);
    await endMembership(ctx, tx, membership, {
      action: 'member.removed',
      target: { type: 'user', id: membership.userId, name: membership.user.displayName },
    });
    return membership.userId;
  });
}

/** A member's groups, or the ones a pending invitation will join. */
export function memberGroups(ctx: RequestContext, member: Member): Promise<Group[]> {
  return member.pending ? pendingGroups(ctx, member.pending.groupIds) : groupsOfUser(ctx, member.id);
}

/** A member's workspace roles (direct and through groups), or the ones a pending invitation will give. */
export function memberWorkspaces(ctx: RequestContext, member: Member): Promise<WorkspaceAssignment[]> {
  return member.pending ? pendingWorkspaceRoles(ctx, member.pending.workspaceRoles) : workspacesOfUser(ctx, member.id);
}
