import type { DataSource } from 'typeorm';
import { STRONG_PASSWORD, type SignedUp, type TestApp, type TestClient, VIEWER_FIELDS, uniqueEmail } from './harness';
import { publishTxt } from './dns-server';

export const INVITE = `mutation($input: InviteMembersInput!) {
  inviteMembers(input: $input) { id email status expiresAt role { id } groups { id } workspaceRoles { workspace { id } role { id } } }
}`;
export const ACCEPT = `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${VIEWER_FIELDS} } }`;
export const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id name description } }`;
export const CREATE_WORKSPACE = `mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { id name } }`;
export const SET_WORKSPACE_ROLE = `mutation($input: SetWorkspaceRoleInput!) { setWorkspaceRole(input: $input) { id } }`;
export const CREATE_API_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`;

/**
 * The token of the latest invitation link emailed to this address, from the copy of queued emails
 * the test set-up keeps (scripts/test-setup.js): the outbox row's body is erased once sent.
 */
export async function invitationToken(db: DataSource, email: string): Promise<string> {
  const [row] = await db.query(
    `SELECT text_body FROM test_email_capture WHERE recipient = $1 ORDER BY created_at DESC LIMIT 1`,
    [email],
  );
  const match = /accept-invitation\?token=([A-Za-z0-9_%-]+)/.exec(row?.text_body ?? '');
  if (!match) throw new Error(`no invitation email to ${email}`);
  return decodeURIComponent(match[1]);
}

export function unique(prefix: string): string {
  return `${prefix} ${Math.random().toString(36).slice(2, 10)}`;
}

/** A new person invited by `admin` with a role (and optionally groups and workspace roles), who has accepted. */
export async function addMember(
  app: TestApp,
  admin: { client: TestClient; organizationId: string },
  roleId = 'consumer',
  extra: { groupIds?: string[]; workspaceRoles?: { workspaceId: string; roleId: string }[] } = {},
): Promise<SignedUp> {
  const email = uniqueEmail(roleId);
  await admin.client.ok(INVITE, { input: { invitations: [{ email, roleId, ...extra }] } });
  const client = app.client();
  const data = await client.ok(ACCEPT, {
    input: {
      token: await invitationToken(app.db, email),
      firstName: 'Invited',
      lastName: roleId,
      password: STRONG_PASSWORD,
    },
  });
  return {
    client,
    email,
    password: STRONG_PASSWORD,
    userId: data.acceptInvitation.user.id,
    organizationId: admin.organizationId,
  };
}

export async function createWorkspace(client: TestClient, name = unique('Workspace')): Promise<string> {
  return (await client.ok(CREATE_WORKSPACE, { input: { name } })).createWorkspace.id;
}

export async function createGroup(client: TestClient, name = unique('Group')): Promise<string> {
  return (await client.ok(CREATE_GROUP, { input: { name } })).createGroup.id;
}

export function withKey(app: TestApp, secret: string): TestClient {
  const client = app.client();
  client.bearer = secret;
  return client;
}

/** Waits for a condition that becomes true once a NOTIFY has reached the server. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Demoting the only Admin is refused by the database, so tests that demote one add another first. */
export async function addAnotherAdmin(db: DataSource, organizationId: string): Promise<void> {
  const [user] = await db.query(`INSERT INTO users (email, first_name) VALUES ($1, 'Other admin') RETURNING id`, [
    uniqueEmail('admin'),
  ]);
  await db.query(`INSERT INTO memberships (organization_id, user_id, role_id) VALUES ($1, $2, 'admin')`, [
    organizationId,
    user.id,
  ]);
}

export const IDENTITY_PROVIDER_FIELDS = `id name issuer clientId groupsClaim emailDomains enabled redirectUri signInUrl
  groupMappings { idpGroup role { id } group { id } }`;
export const CREATE_IDENTITY_PROVIDER = `mutation($input: IdentityProviderInput!) {
  createIdentityProvider(input: $input) { ${IDENTITY_PROVIDER_FIELDS} }
}`;
export const UPDATE_IDENTITY_PROVIDER = `mutation($id: ID!, $input: IdentityProviderInput!) {
  updateIdentityProvider(id: $id, input: $input) { ${IDENTITY_PROVIDER_FIELDS} }
}`;

/** A complete identity provider configuration whose only mapping gives Admin. */
export function identityProviderInput(overrides: Record<string, unknown> = {}) {
  return {
    name: unique('IdP'),
    issuer: 'https://login.example.test',
    clientId: 'gatehouse',
    clientSecret: 'client-secret-value',
    groupsClaim: 'groups',
    emailDomains: [],
    enabled: true,
    groupMappings: [{ idpGroup: 'gatehouse-admins', roleId: 'admin' }],
    ...overrides,
  };
}

export const DOMAIN_FIELDS =
  'id domain status includeSubdomains verificationRecord { type name value } verifiedAt lastCheckedAt lastCheckError createdAt';

/** A domain name no other test uses, under example.com. */
export function uniqueDomain(prefix = 'corp'): string {
  return `${unique(prefix).replace(/\W/g, '').toLowerCase()}.example.com`;
}

/** Adds the domain to the client's organization, publishes its TXT record and verifies it. */
export async function verifiedDomain(client: TestClient, domain: string, includeSubdomains = false) {
  const { addDomain } = await client.ok(
    `mutation($domain: String!, $sub: Boolean) { addDomain(domain: $domain, includeSubdomains: $sub) { ${DOMAIN_FIELDS} } }`,
    { domain, sub: includeSubdomains },
  );
  publishTxt(addDomain.verificationRecord.name, addDomain.verificationRecord.value);
  const { verifyDomain } = await client.ok(`mutation($id: ID!) { verifyDomain(id: $id) { ${DOMAIN_FIELDS} } }`, {
    id: addDomain.id,
  });
  if (verifyDomain.status !== 'VERIFIED') throw new Error(`${domain} was not verified: ${verifyDomain.lastCheckError}`);
  return verifyDomain;
}
