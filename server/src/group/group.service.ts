import { assertMayGrantGroupRoles, requireOrganizationMembers } from '../access/grants';
import type { RequestContext } from '../kernel/context';
import { groupBy, requestLoader } from '../kernel/loaders';
import { diff, record } from '../audit-log/audit-log.service';
import { requireAuth, requireId } from '../auth/policies';
import { withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { PRINCIPAL_COLUMNS, type Principal, type PrincipalRow, principalFromRow } from '../member/principal.types';
import { GroupEntity, GroupMemberEntity } from './group.entity';
import type { CreateGroupInput, UpdateGroupInput } from './group.inputs';
import { Group } from './group.types';
import { refuseIfManagedGroup } from '../scim/scim-managed';

const UNIQUE_NAME = {
  groups_organization_name_key: () => AppError.conflict('A group with this name already exists.', 'name'),
};

function auditTarget(group: GroupEntity) {
  return { type: 'group', id: group.id, name: group.name };
}

export async function listGroups(ctx: RequestContext): Promise<Group[]> {
  const groups = await ctx.db.getRepository(GroupEntity).find({
    where: { organizationId: requireAuth(ctx).organizationId },
    order: { name: 'ASC' },
  });
  return groups.map(Group.from);
}

/**
 * A group of the caller's organization, locked for the rest of the transaction. Its name, members
 * and existence are the identity provider's when SCIM manages it.
 */
async function groupForChange(ctx: RequestContext, tx: Transaction, id: string): Promise<GroupEntity> {
  const group = await tx.findOne(GroupEntity, {
    where: { id: requireId(id, 'Group'), organizationId: requireAuth(ctx).organizationId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!group) throw AppError.notFound('Group');
  await refuseIfManagedGroup(tx, group.id);
  return group;
}

export async function createGroup(ctx: RequestContext, input: CreateGroupInput): Promise<Group> {
  const auth = requireAuth(ctx);
  return ctx.db.transaction(async (tx) => {
    const group = await withConstraints(
      () =>
        tx.save(
          tx.create(GroupEntity, {
            organizationId: auth.organizationId,
            name: input.name.trim(),
            description: input.description?.trim() ?? '',
          }),
        ),
      UNIQUE_NAME,
    );
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'group.created',
      target: auditTarget(group),
      changes: { name: { before: null, after: group.name }, description: { before: null, after: group.description } },
    });
    return Group.from(group);
  });
}

export async function updateGroup(ctx: RequestContext, id: string, input: UpdateGroupInput): Promise<Group> {
  return ctx.db.transaction(async (tx) => {
    const group = await groupForChange(ctx, tx, id);
    const changes = diff(group, { name: input.name?.trim(), description: input.description?.trim() });
    if (!changes) return Group.from(group);
    Object.assign(group, {
      name: input.name?.trim() ?? group.name,
      description: input.description?.trim() ?? group.description,
    });
    await withConstraints(() => tx.save(group), UNIQUE_NAME);
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'group.updated',
      target: auditTarget(group),
      changes,
    });
    return Group.from(group);
  });
}

export async function deleteGroup(ctx: RequestContext, id: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const group = await groupForChange(ctx, tx, id);
    await tx.delete(GroupEntity, { id: group.id });
    await record(ctx, tx, { category: 'SYSTEM_CONFIGURATION', action: 'group.deleted', target: auditTarget(group) });
    return group.id;
  });
}

export async function addGroupMembers(ctx: RequestContext, groupId: string, principalIds: string[]): Promise<Group> {
  return ctx.db.transaction(async (tx) => {
    const group = await groupForChange(ctx, tx, groupId);
    const members = await requireOrganizationMembers(ctx, tx, principalIds);
    await assertMayGrantGroupRoles(ctx, tx, [group.id]);
    await tx
      .createQueryBuilder()
      .insert()
      .into(GroupMemberEntity)
      .values(members.map((m) => ({ groupId: group.id, userId: m.userId, organizationId: group.organizationId })))
      .orIgnore()
      .execute();
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'group.membersAdded',
      target: auditTarget(group),
      changes: { members: { before: null, after: members.map((m) => m.userId) } },
    });
    return Group.from(group);
  });
}

export async function removeGroupMembers(ctx: RequestContext, groupId: string, principalIds: string[]): Promise<Group> {
  return ctx.db.transaction(async (tx) => {
    const group = await groupForChange(ctx, tx, groupId);
    const members = await requireOrganizationMembers(ctx, tx, principalIds);
    const userIds = members.map((m) => m.userId);
    await tx.query('DELETE FROM group_members WHERE group_id = $1 AND user_id = ANY($2)', [group.id, userIds]);
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'group.membersRemoved',
      target: auditTarget(group),
      changes: { members: { before: userIds, after: null } },
    });
    return Group.from(group);
  });
}

/** The groups of each user (or service account) in the caller's organization, batched per request. */
export function groupsOfUser(ctx: RequestContext, userId: string): Promise<Group[]> {
  return requestLoader<Group[]>(
    ctx,
    'groupsOfUser',
    async (userIds) => {
      const rows: (GroupEntity & { userId: string })[] = await ctx.db.query(
        `SELECT gm.user_id AS "userId", g.id, g.name, g.description, g.created_at AS "createdAt"
         FROM group_members gm JOIN groups g ON g.id = gm.group_id
         WHERE gm.user_id = ANY($1) AND gm.organization_id = $2 ORDER BY g.name`,
        [userIds, requireAuth(ctx).organizationId],
      );
      return new Map([...groupBy(rows, (row) => row.userId)].map(([id, list]) => [id, list.map(Group.from)]));
    },
    () => [],
  ).load(userId);
}

/** Groups of the caller's organization by id, batched per request (pending invitations name groups by id). */
export function groupById(ctx: RequestContext, id: string): Promise<Group | null> {
  return requestLoader<Group | null>(
    ctx,
    'groupById',
    async (ids) => {
      const rows: GroupEntity[] = await ctx.db.query(
        `SELECT id, name, description, created_at AS "createdAt" FROM groups WHERE id = ANY($1::uuid[]) AND organization_id = $2`,
        [ids, requireAuth(ctx).organizationId],
      );
      return new Map(rows.map((row) => [row.id, Group.from(row)]));
    },
    () => null,
  ).load(id);
}

export function groupMembers(ctx: RequestContext, groupId: string): Promise<Principal[]> {
  return requestLoader<Principal[]>(
    ctx,
    'groupMembers',
    async (groupIds) => {
      const rows: (PrincipalRow & { group_id: string })[] = await ctx.db.query(
        `SELECT gm.group_id, ${PRINCIPAL_COLUMNS}
         FROM group_members gm JOIN users u ON u.id = gm.user_id LEFT JOIN service_accounts sa ON sa.user_id = u.id
         WHERE gm.group_id = ANY($1) ORDER BY coalesce(sa.name, u.first_name || ' ' || u.last_name)`,
        [groupIds],
      );
      return new Map([...groupBy(rows, (row) => row.group_id)].map(([id, list]) => [id, list.map(principalFromRow)]));
    },
    () => [],
  ).load(groupId);
}
