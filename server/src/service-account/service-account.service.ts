import { revealDefaultKey } from '../api-key/api-key.service';
import {
  addUserToGroups,
  applyWorkspaceRoles,
  assertGroupsGrantable,
  assertWorkspaceRolesGrantable,
} from '../access/grants';
import type { RequestContext } from '../kernel/context';
import { diff, record } from '../audit-log/audit-log.service';
import { requireAuth, requireId } from '../auth/policies';
import { LAST_WORKSPACE_OWNER, withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { changeMembership, endMembership } from '../member/member.service';
import { MemberStatus } from '../member/member.types';
import { MEMBERSHIP_ROLES, MembershipEntity } from '../organization/membership.entity';
import { createMembership } from '../organization/membership.service';
import { requireGrantableTenantRole } from '../role/role.service';
import { UserEntity } from '../user/user.entity';
import { ServiceAccountEntity } from './service-account.entity';
import type { CreateServiceAccountInput, UpdateServiceAccountInput } from './service-account.inputs';
import { CreatedServiceAccount, ServiceAccount } from './service-account.types';

const UNIQUE_NAME = {
  service_accounts_organization_name_key: () =>
    AppError.conflict('A service account with this name already exists.', 'name'),
};

function toServiceAccount(account: ServiceAccountEntity, membership: Pick<MembershipEntity, 'roleId' | 'status'>) {
  return Object.assign(new ServiceAccount(), {
    id: account.userId,
    name: account.name,
    description: account.description,
    status: membership.status as MemberStatus,
    createdAt: account.createdAt,
    roleId: membership.roleId,
  });
}

function auditTarget(account: ServiceAccountEntity) {
  return { type: 'serviceAccount', id: account.userId, name: account.name };
}

export async function listServiceAccounts(ctx: RequestContext): Promise<ServiceAccount[]> {
  const rows = await ctx.db
    .getRepository(ServiceAccountEntity)
    .createQueryBuilder('sa')
    .innerJoinAndMapOne(
      'sa.membership',
      MembershipEntity,
      'm',
      'm.user_id = sa.user_id AND m.organization_id = sa.organization_id',
    )
    .where('sa.organization_id = :org', { org: requireAuth(ctx).organizationId })
    .orderBy('lower(sa.name)')
    .getMany();
  return rows.map((row) =>
    toServiceAccount(row, (row as ServiceAccountEntity & { membership: MembershipEntity }).membership),
  );
}

export async function createServiceAccount(
  ctx: RequestContext,
  input: CreateServiceAccountInput,
): Promise<CreatedServiceAccount> {
  const auth = requireAuth(ctx);
  return ctx.db.transaction(async (tx) => {
    const role = await requireGrantableTenantRole(ctx, tx, input.roleId);
    const groupIds = await assertGroupsGrantable(ctx, tx, input.groupIds ?? []);
    const workspaceRoles = await assertWorkspaceRolesGrantable(ctx, tx, input.workspaceRoles ?? []);
    const name = input.name.trim();
    const user = await tx.save(tx.create(UserEntity, { kind: 'SERVICE_ACCOUNT', email: null, firstName: name }));
    const account = await withConstraints(
      () =>
        tx.save(
          tx.create(ServiceAccountEntity, {
            userId: user.id,
            organizationId: auth.organizationId,
            name,
            description: input.description?.trim() ?? '',
            createdBy: auth.user.id,
          }),
        ),
      UNIQUE_NAME,
    );
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'serviceAccount.created',
      target: auditTarget(account),
      changes: {
        name: { before: null, after: name },
        roleId: { before: null, after: role.id },
        groupIds: { before: null, after: groupIds },
        workspaceRoles: { before: null, after: workspaceRoles },
      },
    });
    const { membership } = await createMembership(ctx, tx, {
      organizationId: auth.organizationId,
      userId: user.id,
      roleId: role.id,
    });
    await addUserToGroups(ctx, tx, user.id, groupIds);
    await applyWorkspaceRoles(tx, auth.organizationId, user.id, workspaceRoles);
    const defaultKey = await revealDefaultKey(ctx, tx, membership);
    return Object.assign(new CreatedServiceAccount(), {
      serviceAccount: toServiceAccount(account, membership),
      secret: defaultKey.secret,
      apiKey: defaultKey.apiKey,
    });
  });
}

async function accountForChange(
  ctx: RequestContext,
  tx: Transaction,
  id: string,
): Promise<{ account: ServiceAccountEntity; membership: MembershipEntity }> {
  const organizationId = requireAuth(ctx).organizationId;
  const account = await tx.findOne(ServiceAccountEntity, {
    where: { userId: requireId(id, 'Service account'), organizationId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!account) throw AppError.notFound('Service account');
  const membership = await tx.findOneOrFail(MembershipEntity, {
    where: { userId: account.userId, organizationId },
    relations: { user: true, ...MEMBERSHIP_ROLES },
  });
  return { account, membership };
}

export async function updateServiceAccount(
  ctx: RequestContext,
  id: string,
  input: UpdateServiceAccountInput,
): Promise<ServiceAccount> {
  return ctx.db.transaction(async (tx) => {
    const { account, membership } = await accountForChange(ctx, tx, id);
    const target = auditTarget(account);
    const changed = await changeMembership(ctx, tx, membership, input, { action: 'serviceAccount.updated', target });
    const changes = diff(account, { name: input.name?.trim(), description: input.description?.trim() });
    if (changes) {
      Object.assign(account, {
        name: input.name?.trim() ?? account.name,
        description: input.description?.trim() ?? account.description,
      });
      await withConstraints(() => tx.save(account), UNIQUE_NAME);
      await tx.update(UserEntity, { id: account.userId }, { firstName: account.name });
      await record(ctx, tx, { category: 'SYSTEM_CONFIGURATION', action: 'serviceAccount.updated', target, changes });
    }
    return toServiceAccount(account, changed);
  });
}

/** Deletes the account's identity: its membership, keys, groups and workspace roles go with it. */
export async function deleteServiceAccount(ctx: RequestContext, id: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const { account, membership } = await accountForChange(ctx, tx, id);
    await endMembership(ctx, tx, membership, { action: 'serviceAccount.deleted', target: auditTarget(account) });
    await withConstraints(() => tx.delete(UserEntity, { id: account.userId }), LAST_WORKSPACE_OWNER);
    return account.userId;
  });
}
