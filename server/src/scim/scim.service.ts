import type { RequestContext } from '../kernel/context';
import { diff, record } from '../audit-log/audit-log.service';
import { withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { emailDomain } from '../domain/domain-name';
import { isVerifiedEmailDomain } from '../domain/domain.service';
import { AppError } from '../errors/app-error';
import { GroupEntity } from '../group/group.entity';
import { deleteMembership, writeMembershipAccess } from '../member/member.service';
import { MembershipEntity } from '../organization/membership.entity';
import { createMembership } from '../organization/membership.service';
import { UserEntity } from '../user/user.entity';
import { type FilterColumns, filterToSql, scimError } from './scim-filter';
import {
  GROUP_SCHEMA,
  LIST_SCHEMA,
  USER_SCHEMA,
  applyPatch,
  type GroupFields,
  readGroup,
  readUser,
  type UserFields,
} from './scim-resources';

/** The tenant role of a person SCIM brings in; what they can do beyond it comes from groups and their workspace roles. */
const PROVISIONED_ROLE = 'consumer';
const MAX_PAGE = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Json = Record<string, unknown>;

export interface ListQuery {
  filter?: string;
  startIndex?: string;
  count?: string;
  excludedAttributes?: string;
}

function organizationOf(ctx: RequestContext): string {
  if (!ctx.scim) throw AppError.unauthenticated();
  return ctx.scim.organizationId;
}

const notFound = (kind: string) => AppError.notFound(kind);

function paging(query: ListQuery): { offset: number; limit: number } {
  const startIndex = Math.max(1, Number.parseInt(query.startIndex ?? '1', 10) || 1);
  const count = query.count === undefined ? 100 : Number.parseInt(query.count, 10);
  return { offset: startIndex - 1, limit: Math.min(MAX_PAGE, Math.max(0, Number.isNaN(count) ? 100 : count)) };
}

function listResponse(resources: Json[], total: number, offset: number): Json {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: total,
    startIndex: offset + 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

// ---- Users -------------------------------------------------------------------------------

interface UserRow {
  id: string;
  membership_id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: 'ACTIVE' | 'INACTIVE';
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const USER_FROM = `FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN scim_members sm ON sm.membership_id = m.id
  WHERE m.organization_id = $1 AND u.kind = 'HUMAN'`;
const USER_COLUMNS = `u.id, m.id AS membership_id, u.email, u.first_name, u.last_name, m.status, sm.external_id,
  m.created_at, greatest(u.updated_at, m.updated_at) AS updated_at`;

const USER_FILTERS: FilterColumns = {
  id: { sql: 'u.id', type: 'uuid' },
  username: { sql: 'u.email', type: 'text' },
  'emails.value': { sql: 'u.email', type: 'text' },
  emails: { sql: 'u.email', type: 'text' },
  'emails.type': { sql: "'work'", type: 'text' },
  externalid: { sql: 'sm.external_id', type: 'text' },
  active: { sql: "(m.status = 'ACTIVE')", type: 'boolean' },
  displayname: { sql: "trim(u.first_name || ' ' || u.last_name)", type: 'text' },
  'name.givenname': { sql: 'u.first_name', type: 'text' },
  'name.familyname': { sql: 'u.last_name', type: 'text' },
};

function userResource(ctx: RequestContext, row: UserRow): Json {
  const displayName = `${row.first_name} ${row.last_name}`.trim() || row.email;
  return {
    schemas: [USER_SCHEMA],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    userName: row.email,
    name: { givenName: row.first_name, familyName: row.last_name, formatted: displayName },
    displayName,
    emails: [{ value: row.email, type: 'work', primary: true }],
    active: row.status === 'ACTIVE',
    meta: {
      resourceType: 'User',
      created: row.created_at.toISOString(),
      lastModified: row.updated_at.toISOString(),
      location: `${ctx.config.publicUrl}/scim/v2/Users/${row.id}`,
    },
  };
}

export async function listScimUsers(ctx: RequestContext, query: ListQuery): Promise<Json> {
  const params: unknown[] = [organizationOf(ctx)];
  const where = filterToSql(query.filter, USER_FILTERS, params);
  const { offset, limit } = paging(query);
  const [{ total }] = await ctx.db.query(`SELECT count(*)::int AS total ${USER_FROM} AND ${where}`, params);
  const rows: UserRow[] = await ctx.db.query(
    `SELECT ${USER_COLUMNS} ${USER_FROM} AND ${where} ORDER BY m.created_at, u.id OFFSET ${offset} LIMIT ${limit}`,
    params,
  );
  return listResponse(
    rows.map((row) => userResource(ctx, row)),
    total,
    offset,
  );
}

async function userRow(ctx: RequestContext, tx: Transaction, id: string, lock = false): Promise<UserRow> {
  if (!UUID.test(id)) throw notFound('User');
  const [row]: UserRow[] = await tx.query(
    `SELECT ${USER_COLUMNS} ${USER_FROM} AND u.id = $2 ${lock ? 'FOR UPDATE OF m' : ''}`,
    [organizationOf(ctx), id],
  );
  if (!row) throw notFound('User');
  return row;
}

export async function getScimUser(ctx: RequestContext, id: string): Promise<Json> {
  return userResource(ctx, await userRow(ctx, ctx.db.manager, id));
}

/** SCIM brings in only addresses the organization has proven it controls. */
async function assertVerifiedAddress(tx: Transaction, organizationId: string, email: string): Promise<void> {
  if (!(await isVerifiedEmailDomain(tx, organizationId, emailDomain(email)))) {
    throw scimError(
      'BAD_USER_INPUT',
      'invalidValue',
      `${emailDomain(email)} is not a verified domain of this organization: verify it under Security → Domains first.`,
    );
  }
}

const uniqueness = (message: string) => scimError('CONFLICT', 'uniqueness', message);
const EMAIL_TAKEN = { users_email_key: () => uniqueness('Another account already uses this email address.') };

async function membershipOf(tx: Transaction, organizationId: string, userId: string): Promise<MembershipEntity> {
  return tx.findOneOrFail(MembershipEntity, {
    where: { organizationId, userId },
    relations: { user: true, role: true },
  });
}

async function markManaged(tx: Transaction, membership: MembershipEntity, externalId: string | null): Promise<void> {
  await tx.query(
    `INSERT INTO scim_members (membership_id, organization_id, user_id, external_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (membership_id) DO UPDATE SET external_id = EXCLUDED.external_id, updated_at = now()`,
    [membership.id, membership.organizationId, membership.userId, externalId],
  );
}

/**
 * POST /Users: a new member of the organization, without a password (they sign in through the
 * organization's SSO). A person who already has an account elsewhere joins with it.
 */
export async function createScimUser(ctx: RequestContext, body: unknown): Promise<Json> {
  const organizationId = organizationOf(ctx);
  const fields = readUser(body);
  const userId = await ctx.db.transaction(async (tx) => {
    await assertVerifiedAddress(tx, organizationId, fields.email);
    let user = await tx.findOne(UserEntity, { where: { email: fields.email }, lock: { mode: 'pessimistic_write' } });
    if (user && (await tx.findOneBy(MembershipEntity, { organizationId, userId: user.id }))) {
      throw uniqueness('A member with this userName already exists.');
    }
    if (!user) {
      user = await withConstraints(
        () =>
          tx.save(
            tx.create(UserEntity, {
              email: fields.email,
              firstName: fields.firstName,
              lastName: fields.lastName,
              passwordHash: null,
            }),
          ),
        EMAIL_TAKEN,
      );
    }
    const { membership } = await createMembership(ctx, tx, {
      organizationId,
      userId: user.id,
      roleId: PROVISIONED_ROLE,
    });
    if (!fields.active) await writeMembershipAccess(tx, membership, { roleId: membership.roleId, status: 'INACTIVE' });
    await markManaged(tx, membership, fields.externalId);
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.userCreated',
      target: { type: 'user', id: user.id, name: user.displayName },
      changes: {
        email: { before: null, after: fields.email },
        status: { before: null, after: fields.active ? 'ACTIVE' : 'INACTIVE' },
        externalId: { before: null, after: fields.externalId },
      },
    });
    return user.id;
  });
  return getScimUser(ctx, userId);
}

/** PUT, and PATCH once applied: the person's email, name, status and externalId become these. */
async function saveUser(ctx: RequestContext, tx: Transaction, row: UserRow, fields: UserFields): Promise<void> {
  const organizationId = organizationOf(ctx);
  const before = {
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    externalId: row.external_id,
  };
  const status = fields.active ? 'ACTIVE' : 'INACTIVE';
  const changes = diff(before, { ...fields, status });
  const membership = await membershipOf(tx, organizationId, row.id);
  await markManaged(tx, membership, fields.externalId);
  if (!changes) return;
  if (fields.email !== row.email) await assertVerifiedAddress(tx, organizationId, fields.email);
  await withConstraints(
    () =>
      tx.update(
        UserEntity,
        { id: row.id },
        { email: fields.email, firstName: fields.firstName, lastName: fields.lastName },
      ),
    EMAIL_TAKEN,
  );
  if (status !== row.status) await writeMembershipAccess(tx, membership, { roleId: membership.roleId, status });
  await record(ctx, tx, {
    category: 'SYSTEM_CONFIGURATION',
    action: 'scim.userUpdated',
    target: { type: 'user', id: row.id, name: `${fields.firstName} ${fields.lastName}`.trim() || fields.email },
    changes,
  });
}

export async function replaceScimUser(ctx: RequestContext, id: string, body: unknown): Promise<Json> {
  const fields = readUser(body);
  await ctx.db.transaction(async (tx) => saveUser(ctx, tx, await userRow(ctx, tx, id, true), fields));
  return getScimUser(ctx, id);
}

export async function patchScimUser(ctx: RequestContext, id: string, body: unknown): Promise<Json> {
  await ctx.db.transaction(async (tx) => {
    const row = await userRow(ctx, tx, id, true);
    const patched = applyPatch('User', userResource(ctx, row), body);
    await saveUser(ctx, tx, row, readUser(patched));
  });
  return getScimUser(ctx, id);
}

/** DELETE /Users/{id}: the person leaves the organization (their account stays, for their other organizations). */
export async function deleteScimUser(ctx: RequestContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await userRow(ctx, tx, id, true);
    await deleteMembership(tx, await membershipOf(tx, organizationOf(ctx), row.id));
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.userDeleted',
      target: { type: 'user', id: row.id, name: `${row.first_name} ${row.last_name}`.trim() || row.email },
    });
  });
}

// ---- Groups ------------------------------------------------------------------------------

interface GroupRow {
  id: string;
  name: string;
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const GROUP_FROM = `FROM groups g LEFT JOIN scim_groups sg ON sg.group_id = g.id WHERE g.organization_id = $1`;
const GROUP_COLUMNS = 'g.id, g.name, sg.external_id, g.created_at, g.updated_at';
const GROUP_FILTERS: FilterColumns = {
  id: { sql: 'g.id', type: 'uuid' },
  displayname: { sql: 'g.name', type: 'text' },
  externalid: { sql: 'sg.external_id', type: 'text' },
};

const UNIQUE_GROUP_NAME = {
  groups_organization_name_key: () => uniqueness('A group with this displayName already exists.'),
};

async function membersOf(tx: Transaction, groupIds: string[]): Promise<Map<string, Json[]>> {
  const rows: { group_id: string; user_id: string; name: string }[] = await tx.query(
    `SELECT gm.group_id, gm.user_id, coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email) AS name
     FROM group_members gm JOIN users u ON u.id = gm.user_id AND u.kind = 'HUMAN'
     WHERE gm.group_id = ANY($1::uuid[]) ORDER BY gm.created_at, gm.user_id`,
    [groupIds],
  );
  const byGroup = new Map<string, Json[]>();
  for (const row of rows) {
    byGroup.set(row.group_id, [...(byGroup.get(row.group_id) ?? []), { value: row.user_id, display: row.name }]);
  }
  return byGroup;
}

function groupResource(ctx: RequestContext, row: GroupRow, members: Json[] | null): Json {
  return {
    schemas: [GROUP_SCHEMA],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    displayName: row.name,
    ...(members ? { members } : {}),
    meta: {
      resourceType: 'Group',
      created: row.created_at.toISOString(),
      lastModified: row.updated_at.toISOString(),
      location: `${ctx.config.publicUrl}/scim/v2/Groups/${row.id}`,
    },
  };
}

export async function listScimGroups(ctx: RequestContext, query: ListQuery): Promise<Json> {
  const params: unknown[] = [organizationOf(ctx)];
  const where = filterToSql(query.filter, GROUP_FILTERS, params);
  const { offset, limit } = paging(query);
  const [{ total }] = await ctx.db.query(`SELECT count(*)::int AS total ${GROUP_FROM} AND ${where}`, params);
  const rows: GroupRow[] = await ctx.db.query(
    `SELECT ${GROUP_COLUMNS} ${GROUP_FROM} AND ${where} ORDER BY g.created_at, g.id OFFSET ${offset} LIMIT ${limit}`,
    params,
  );
  // Entra asks for groups without their members; a large group's list is then not read at all.
  const withMembers = !/(^|,)\s*members\s*(,|$)/i.test(query.excludedAttributes ?? '');
  const members = withMembers
    ? await membersOf(
        ctx.db.manager,
        rows.map((row) => row.id),
      )
    : null;
  return listResponse(
    rows.map((row) => groupResource(ctx, row, members ? (members.get(row.id) ?? []) : null)),
    total,
    offset,
  );
}

async function groupRow(ctx: RequestContext, tx: Transaction, id: string, lock = false): Promise<GroupRow> {
  if (!UUID.test(id)) throw notFound('Group');
  const [row]: GroupRow[] = await tx.query(
    `SELECT ${GROUP_COLUMNS} ${GROUP_FROM} AND g.id = $2 ${lock ? 'FOR UPDATE OF g' : ''}`,
    [organizationOf(ctx), id],
  );
  if (!row) throw notFound('Group');
  return row;
}

export async function getScimGroup(ctx: RequestContext, id: string): Promise<Json> {
  const row = await groupRow(ctx, ctx.db.manager, id);
  return groupResource(ctx, row, (await membersOf(ctx.db.manager, [id])).get(id) ?? []);
}

/** Members named by a SCIM request must be people of this organization; an unknown id changes nothing. */
async function requireMembers(tx: Transaction, organizationId: string, userIds: string[]): Promise<void> {
  const valid = userIds.filter((id) => UUID.test(id));
  const rows: { user_id: string }[] = await tx.query(
    `SELECT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id AND u.kind = 'HUMAN'
     WHERE m.organization_id = $1 AND m.user_id = ANY($2::uuid[])`,
    [organizationId, valid],
  );
  const unknown = userIds.filter((id) => !rows.some((row) => row.user_id === id.toLowerCase()));
  if (unknown.length)
    throw scimError('BAD_USER_INPUT', 'invalidValue', `No member of this organization has the id ${unknown[0]}.`);
}

/** The group's name, externalId and members become these; workspace roles of the group are left alone. */
async function saveGroup(
  ctx: RequestContext,
  tx: Transaction,
  group: { id: string; name: string | null; externalId: string | null },
  fields: GroupFields,
  action: string,
): Promise<void> {
  const organizationId = organizationOf(ctx);
  const memberIds = fields.memberIds.map((id) => id.toLowerCase());
  await requireMembers(tx, organizationId, memberIds);
  const current = ((await membersOf(tx, [group.id])).get(group.id) ?? []).map((m) => m.value as string);
  const added = memberIds.filter((id) => !current.includes(id));
  const removed = current.filter((id) => !memberIds.includes(id));
  if (fields.displayName !== group.name) {
    await withConstraints(
      () => tx.update(GroupEntity, { id: group.id }, { name: fields.displayName }),
      UNIQUE_GROUP_NAME,
    );
  }
  await tx.query(
    `INSERT INTO scim_groups (group_id, organization_id, external_id) VALUES ($1, $2, $3)
     ON CONFLICT (group_id) DO UPDATE SET external_id = EXCLUDED.external_id, updated_at = now()`,
    [group.id, organizationId, fields.externalId],
  );
  await tx.query(
    `INSERT INTO group_members (group_id, user_id, organization_id) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
    [group.id, added, organizationId],
  );
  await tx.query('DELETE FROM group_members WHERE group_id = $1 AND user_id = ANY($2::uuid[])', [group.id, removed]);
  const changes = {
    ...diff(
      { displayName: group.name, externalId: group.externalId },
      { displayName: fields.displayName, externalId: fields.externalId },
    ),
    ...(added.length ? { membersAdded: { before: null, after: added } } : {}),
    ...(removed.length ? { membersRemoved: { before: removed, after: null } } : {}),
  };
  if (!Object.keys(changes).length) return;
  await record(ctx, tx, {
    category: 'SYSTEM_CONFIGURATION',
    action,
    target: { type: 'group', id: group.id, name: fields.displayName },
    changes,
  });
}

export async function createScimGroup(ctx: RequestContext, body: unknown): Promise<Json> {
  const organizationId = organizationOf(ctx);
  const fields = readGroup(body);
  const id = await ctx.db.transaction(async (tx) => {
    const group = await withConstraints(
      () => tx.save(tx.create(GroupEntity, { organizationId, name: fields.displayName, description: '' })),
      UNIQUE_GROUP_NAME,
    );
    await saveGroup(ctx, tx, { id: group.id, name: null, externalId: null }, fields, 'scim.groupCreated');
    return group.id;
  });
  return getScimGroup(ctx, id);
}

export async function replaceScimGroup(ctx: RequestContext, id: string, body: unknown): Promise<Json> {
  const fields = readGroup(body);
  await ctx.db.transaction(async (tx) => {
    const row = await groupRow(ctx, tx, id, true);
    await saveGroup(ctx, tx, { id: row.id, name: row.name, externalId: row.external_id }, fields, 'scim.groupUpdated');
  });
  return getScimGroup(ctx, id);
}

export async function patchScimGroup(ctx: RequestContext, id: string, body: unknown): Promise<Json> {
  await ctx.db.transaction(async (tx) => {
    const row = await groupRow(ctx, tx, id, true);
    const current = groupResource(ctx, row, (await membersOf(tx, [row.id])).get(row.id) ?? []);
    const patched = applyPatch('Group', current, body);
    await saveGroup(
      ctx,
      tx,
      { id: row.id, name: row.name, externalId: row.external_id },
      readGroup(patched),
      'scim.groupUpdated',
    );
  });
  return getScimGroup(ctx, id);
}

/** DELETE /Groups/{id}: the group goes, with its members' workspace roles through it. */
export async function deleteScimGroup(ctx: RequestContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await groupRow(ctx, tx, id, true);
    await tx.delete(GroupEntity, { id: row.id });
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.groupDeleted',
      target: { type: 'group', id: row.id, name: row.name },
    });
  });
}
