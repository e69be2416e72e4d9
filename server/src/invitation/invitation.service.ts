import { INVITATION_LIFETIME_DAYS } from '@gatehouse/shared';
import { IsNull } from 'typeorm';
import {
  addUserToGroups,
  applyWorkspaceRoles,
  assertGroupsGrantable,
  assertWorkspaceRolesGrantable,
} from '../access/grants';
import type { RequestContext } from '../kernel/context';
import { record, userActor } from '../audit-log/audit-log.service';
import { normalizeEmail } from '../auth/auth.service';
import { sessionAuthState } from '../auth/membership-loader';
import { hashPassword } from '../auth/password-hashing';
import { assertAcceptablePassword } from '../auth/password-rules';
import { requireAuth, requireId, requireAuthorizedEmailDomain } from '../auth/policies';
import { startSession } from '../auth/session.service';
import { newToken, sha256 } from '../auth/tokens';
import { getViewer } from '../auth/viewer.service';
import type { Viewer } from '../auth/viewer.types';
import { isUniqueViolation, type Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { groupById } from '../group/group.service';
import type { Group } from '../group/group.types';
import { queueEmail } from '../mail/mail.service';
import { MembershipEntity } from '../organization/membership.entity';
import { createMembership } from '../organization/membership.service';
import { OrganizationEntity } from '../organization/organization.entity';
import { requireGrantableTenantRole, roleById } from '../role/role.service';
import { UserEntity } from '../user/user.entity';
import { workspaceById } from '../workspace/workspace.service';
import { WorkspaceAssignment } from '../workspace/workspace.types';
import { InvitationEntity, type PendingWorkspaceRole } from './invitation.entity';
import type { AcceptInvitationInput, InviteMembersInput } from './invitation.inputs';
import { Invitation, InvitationLinkStatus, InvitationPreview } from './invitation.types';

const LIFETIME_MS = INVITATION_LIFETIME_DAYS * 24 * 3600_000;

function auditTarget(invitation: InvitationEntity) {
  return { type: 'invitation', id: invitation.id, name: invitation.email };
}

async function sendInvitationEmail(
  ctx: RequestContext,
  tx: Transaction,
  invitation: InvitationEntity,
  token: string,
): Promise<void> {
  const auth = requireAuth(ctx);
  const organization = await tx.findOneByOrFail(OrganizationEntity, { id: invitation.organizationId });
  const link = `${ctx.config.publicUrl}/accept-invitation?token=${encodeURIComponent(token)}`;
  const inviter = auth.user.displayName;
  await queueEmail(tx, {
    to: invitation.email,
    subject: `${inviter} invited you to ${organization.name} on Gatehouse`,
    text: [
      `${inviter} invited you to join ${organization.name} on Gatehouse.`,
      '',
      `Accept the invitation: ${link}`,
      '',
      `The link works once and expires on ${invitation.expiresAt.toUTCString()}.`,
      'If you did not expect this invitation, ignore this email.',
    ].join('\n'),
  });
}

function linkStatus(invitation: InvitationEntity): InvitationLinkStatus {
  if (invitation.acceptedAt) return InvitationLinkStatus.ACCEPTED;
  if (invitation.cancelledAt) return InvitationLinkStatus.CANCELLED;
  if (invitation.expiresAt <= new Date()) return InvitationLinkStatus.EXPIRED;
  return InvitationLinkStatus.PENDING;
}

export async function listInvitations(ctx: RequestContext): Promise<Invitation[]> {
  const rows = await ctx.db.getRepository(InvitationEntity).find({
    where: { organizationId: requireAuth(ctx).organizationId, acceptedAt: IsNull(), cancelledAt: IsNull() },
    order: { createdAt: 'DESC' },
  });
  return rows.map((row) => Invitation.from(row));
}

export async function inviteMembers(ctx: RequestContext, input: InviteMembersInput): Promise<Invitation[]> {
  const auth = requireAuth(ctx);
  const emails = input.invitations.map((invitation) => normalizeEmail(invitation.email));
  const duplicate = emails.find((email, index) => emails.indexOf(email) !== index);
  if (duplicate) throw AppError.badInput('invitations', `${duplicate} is listed twice.`);
  return ctx.db.transaction(async (tx) => {
    const organization = await tx.findOneByOrFail(OrganizationEntity, { id: auth.organizationId });
    const invitations: Invitation[] = [];
    for (const [index, entry] of input.invitations.entries()) {
      const email = emails[index];
      const role = await requireGrantableTenantRole(ctx, tx, entry.roleId);
      requireAuthorizedEmailDomain(organization, email, role.id, 'invitations');
      const groupIds = await assertGroupsGrantable(ctx, tx, entry.groupIds ?? []);
      const workspaceRoles = await assertWorkspaceRolesGrantable(ctx, tx, entry.workspaceRoles ?? []);
      const [member] = await tx.query(
        `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 AND u.email = $2`,
        [auth.organizationId, email],
      );
      if (member) throw AppError.conflict(`${email} is already a member of this organization.`, 'invitations');
      await tx.query(
        `UPDATE invitations SET cancelled_at = now()
         WHERE organization_id = $1 AND email = $2 AND accepted_at IS NULL AND cancelled_at IS NULL AND expires_at <= now()`,
        [auth.organizationId, email],
      );
      const token = newToken();
      let invitation: InvitationEntity;
      try {
        invitation = await tx.save(
          tx.create(InvitationEntity, {
            organizationId: auth.organizationId,
            email,
            roleId: role.id,
            groupIds,
            workspaceRoles,
            tokenHash: sha256(token),
            invitedBy: auth.user.id,
            expiresAt: new Date(Date.now() + LIFETIME_MS),
          }),
        );
      } catch (error) {
        if (isUniqueViolation(error, 'invitations_open_email_key')) {
          throw AppError.conflict(`${email} is already invited; resend the invitation instead.`, 'invitations');
        }
        throw error;
      }
      await sendInvitationEmail(ctx, tx, invitation, token);
      await record(ctx, tx, {
        category: 'SYSTEM_CONFIGURATION',
        action: 'invitation.created',
        target: auditTarget(invitation),
        changes: {
          email: { before: null, after: email },
          roleId: { before: null, after: role.id },
          groupIds: { before: null, after: groupIds },
          workspaceRoles: { before: null, after: workspaceRoles },
        },
      });
      invitations.push(Invitation.from(invitation));
    }
    return invitations;
  });
}

/** An open invitation of the caller's organization, locked for the change. */
async function openInvitation(ctx: RequestContext, tx: Transaction, id: string): Promise<InvitationEntity> {
  const invitation = await tx.findOne(InvitationEntity, {
    where: { id: requireId(id, 'Invitation'), organizationId: requireAuth(ctx).organizationId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!invitation || invitation.acceptedAt || invitation.cancelledAt) throw AppError.notFound('Invitation');
  return invitation;
}

export async function resendInvitation(ctx: RequestContext, id: string): Promise<Invitation> {
  return ctx.db.transaction(async (tx) => {
    const invitation = await openInvitation(ctx, tx, id);
    const token = newToken();
    const before = invitation.expiresAt.toISOString();
    Object.assign(invitation, { tokenHash: sha256(token), expiresAt: new Date(Date.now() + LIFETIME_MS) });
    await tx.save(invitation);
    await sendInvitationEmail(ctx, tx, invitation, token);
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'invitation.resent',
      target: auditTarget(invitation),
      changes: { expiresAt: { before, after: invitation.expiresAt.toISOString() } },
    });
    return Invitation.from(invitation);
  });
}

export async function cancelInvitation(ctx: RequestContext, id: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const invitation = await openInvitation(ctx, tx, id);
    await tx.update(InvitationEntity, { id: invitation.id }, { cancelledAt: new Date() });
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'invitation.cancelled',
      target: auditTarget(invitation),
    });
    return invitation.id;
  });
}

async function invitationByToken(ctx: RequestContext, token: string): Promise<InvitationEntity | null> {
  return ctx.db.getRepository(InvitationEntity).findOneBy({ tokenHash: sha256(token) });
}

/** Public: what an invitation link is about; null when the link is unknown (or was replaced by a resend). */
export async function invitationPreview(ctx: RequestContext, token: string): Promise<InvitationPreview | null> {
  const invitation = await invitationByToken(ctx, token);
  if (!invitation) return null;
  const [organization, inviter, account] = await Promise.all([
    ctx.db.getRepository(OrganizationEntity).findOneByOrFail({ id: invitation.organizationId }),
    invitation.invitedBy ? ctx.db.getRepository(UserEntity).findOneBy({ id: invitation.invitedBy }) : null,
    ctx.db.getRepository(UserEntity).findOneBy({ email: invitation.email }),
  ]);
  return Object.assign(new InvitationPreview(), {
    email: invitation.email,
    organizationName: organization.name,
    invitedByName: inviter?.displayName ?? null,
    status: linkStatus(invitation),
    accountExists: account !== null,
    expiresAt: invitation.expiresAt,
    minPasswordLength: organization.minPasswordLength,
  });
}

const UNUSABLE: Record<Exclude<InvitationLinkStatus, 'PENDING'>, string> = {
  [InvitationLinkStatus.EXPIRED]: 'This invitation has expired. Ask for a new one.',
  [InvitationLinkStatus.CANCELLED]: 'This invitation was cancelled.',
  [InvitationLinkStatus.ACCEPTED]: 'This invitation has already been used.',
};

function assertUsable(invitation: InvitationEntity | null): InvitationEntity {
  if (!invitation) throw AppError.notFound('Invitation');
  const status = linkStatus(invitation);
  if (status !== InvitationLinkStatus.PENDING) throw AppError.conflict(UNUSABLE[status]);
  return invitation;
}

/**
 * Public: joins the organization with everything the invitation prepared. A new person sets
 * names and a password; an existing account must be signed in as the invited email. The
 * invitation row is locked, so a token is used once however many requests race.
 */
export async function acceptInvitation(ctx: RequestContext, input: AcceptInvitationInput): Promise<Viewer> {
  const preview = assertUsable(await invitationByToken(ctx, input.token));
  const organization = await ctx.db.manager.findOneByOrFail(OrganizationEntity, { id: preview.organizationId });
  requireAuthorizedEmailDomain(organization, preview.email, preview.roleId ?? '', 'token');
  const existing = await ctx.db.getRepository(UserEntity).findOneBy({ email: preview.email });
  if (ctx.auth && ctx.auth.user.id !== existing?.id) {
    throw AppError.forbidden(`This invitation was sent to ${preview.email}. Sign out and accept it with that account.`);
  }
  if (existing && !ctx.auth?.sessionId) {
    // A parallel acceptance may have created this very account a moment ago: the token is spent then.
    assertUsable(await invitationByToken(ctx, input.token));
    throw AppError.unauthenticated(`Sign in as ${preview.email} to accept this invitation.`);
  }
  let passwordHash: string | null = null;
  if (!existing) {
    if (!input.firstName?.trim()) throw AppError.badInput('firstName', 'First name is required.');
    if (!input.lastName?.trim()) throw AppError.badInput('lastName', 'Last name is required.');
    assertAcceptablePassword('password', input.password ?? '', {
      email: preview.email,
      minLength: organization.minPasswordLength,
    });
    passwordHash = await hashPassword(input.password!, ctx.config.bcryptCost);
  }
  await ctx.db.transaction(async (tx) => {
    const invitation = assertUsable(
      await tx.findOne(InvitationEntity, { where: { id: preview.id }, lock: { mode: 'pessimistic_write' } }),
    );
    const user = existing ?? (await createInvitedUser(tx, invitation.email, input, passwordHash!));
    await joinInvitation(ctx, tx, invitation, user);
  });
  return (await getViewer(ctx))!;
}

/**
 * Joins the organization with everything the (locked, usable) invitation prepared and starts a
 * session there. Also used by social sign-in, whose provider verified the invited email.
 */
export async function joinInvitation(
  ctx: RequestContext,
  tx: Transaction,
  invitation: InvitationEntity,
  user: UserEntity,
): Promise<void> {
  const already = await tx.findOneBy(MembershipEntity, {
    userId: user.id,
    organizationId: invitation.organizationId,
  });
  if (already) throw AppError.conflict('You are already a member of this organization.');
  await tx.update(InvitationEntity, { id: invitation.id }, { acceptedAt: new Date() });
  const { membership } = await createMembership(ctx, tx, {
    organizationId: invitation.organizationId,
    userId: user.id,
    // An open invitation always has its role (the invitations_open_role constraint).
    roleId: invitation.roleId!,
  });
  await addUserToGroups(ctx, tx, user.id, invitation.groupIds);
  await applyWorkspaceRoles(tx, invitation.organizationId, user.id, invitation.workspaceRoles);
  await record(ctx, tx, {
    organizationId: invitation.organizationId,
    category: 'SYSTEM_CONFIGURATION',
    action: 'invitation.accepted',
    actor: userActor(user),
    target: auditTarget(invitation),
    changes: { roleId: { before: null, after: invitation.roleId } },
  });
  const session = await startSession(ctx, tx, user.id, invitation.organizationId);
  ctx.auth = sessionAuthState(membership, session.id);
}

/** The newest usable invitation to this email, locked for joining; null when there is none. */
export async function pendingInvitationFor(tx: Transaction, email: string): Promise<InvitationEntity | null> {
  return tx
    .createQueryBuilder(InvitationEntity, 'i')
    .where('i.email = :email AND i.accepted_at IS NULL AND i.cancelled_at IS NULL AND i.expires_at > now()', {
      email,
    })
    .orderBy('i.created_at', 'DESC')
    .setLock('pessimistic_write')
    .getOne();
}

async function createInvitedUser(
  tx: Transaction,
  email: string,
  input: AcceptInvitationInput,
  passwordHash: string,
): Promise<UserEntity> {
  try {
    return await tx.save(
      tx.create(UserEntity, {
        email,
        firstName: input.firstName!.trim(),
        lastName: input.lastName!.trim(),
        passwordHash,
        passwordChangedAt: new Date(),
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) {
      throw AppError.conflict('An account with this email was just created. Sign in to accept the invitation.');
    }
    throw error;
  }
}

/** The groups a pending invitation will join, as they are now (deleted ones are left out). */
export async function pendingGroups(ctx: RequestContext, groupIds: readonly string[]): Promise<Group[]> {
  const groups = await Promise.all(groupIds.map((id) => groupById(ctx, id)));
  return groups.filter((group): group is Group => group !== null);
}

export async function pendingWorkspaceRoles(
  ctx: RequestContext,
  workspaceRoles: readonly PendingWorkspaceRole[],
): Promise<WorkspaceAssignment[]> {
  const assignments = await Promise.all(
    workspaceRoles.map(async ({ workspaceId, roleId }) => {
      const [workspace, role] = await Promise.all([
        workspaceById(ctx, workspaceId),
        roleById(ctx, roleId).catch(() => null),
      ]);
      if (!workspace || !role) return null;
      return Object.assign(new WorkspaceAssignment(), { workspace, role, viaGroup: null }) as WorkspaceAssignment;
    }),
  );
  return assignments.filter((assignment): assignment is WorkspaceAssignment => assignment !== null);
}
