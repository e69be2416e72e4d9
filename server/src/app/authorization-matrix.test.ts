import type { GraphQLInputObjectType, GraphQLSchema } from 'graphql';
import {
  STRONG_PASSWORD,
  type SignedUp,
  type TestApp,
  type TestClient,
  errorCode,
  signUp,
  startTestApp,
  uniqueEmail,
} from '../test/harness';
import {
  CREATE_API_KEY,
  CREATE_IDENTITY_PROVIDER,
  INVITE,
  SET_WORKSPACE_ROLE,
  addMember,
  createGroup,
  createWorkspace,
  identityProviderInput,
  invitationToken,
  unique,
  uniqueDomain,
  withKey,
} from '../test/access-fixtures';
import { SoftwareAuthenticator } from '../test/software-authenticator';
import { secretBoxFor } from '../auth/secret-box';
import { totpCode } from '../two-factor/totp';
import { API_ROUTES } from './routes';
import { buildAppSchema } from './schema';

/**
 * Every query and mutation × every kind of caller → the expected outcome. A new operation
 * without a row fails the first test: decide who may call it, write the row, and a call
 * that exercises it. Calls act on objects of organization A; "otherAdmin" is the Admin of
 * organization B using A's ids, so its column is also the tenant-isolation check.
 */
const PRINCIPALS = ['anonymous', 'consumer', 'builder', 'admin', 'otherAdmin', 'narrowKey', 'revokedKey'] as const;
type PrincipalName = (typeof PRINCIPALS)[number];

const ok = 'ok';
const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
const N = 'NOT_FOUND';
type Outcome = typeof ok | typeof U | typeof F | typeof N;

// prettier-ignore
const MATRIX: Record<string, readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]> = {
  //                       anonymous consumer builder admin otherAdmin narrowKey revokedKey
  viewer:                 [ok,       ok,      ok,     ok,   ok,        ok,       U],
  apiKeys:                [U,        ok,      ok,     ok,   N,         F,        U],
  can:                    [U,        ok,      ok,     ok,   N,         ok,       U],
  groups:                 [U,        ok,      ok,     ok,   ok,        F,        U],
  invitationPreview:      [ok,       ok,      ok,     ok,   ok,        ok,       U],
  invitations:            [U,        ok,      ok,     ok,   ok,        ok,       U],
  members:                [U,        ok,      ok,     ok,   ok,        ok,       U],
  permissionCatalog:      [U,        ok,      ok,     ok,   ok,        ok,       U],
  roles:                  [U,        F,       ok,     ok,   ok,        F,        U],
  serviceAccounts:        [U,        F,       ok,     ok,   ok,        F,        U],
  workspaces:             [U,        ok,      ok,     ok,   ok,        F,        U],
  auditEvents:            [U,        F,       F,      ok,   ok,        F,        U],
  verifyAuditLog:         [U,        F,       F,      ok,   ok,        F,        U],
  organizationSettings:   [U,        F,       ok,     ok,   ok,        F,        U],
  membersWithoutTwoFactor: [U,       F,       F,      ok,   ok,        F,        U],
  signUp:                 [ok,       ok,      ok,     ok,   ok,        ok,       U],
  signIn:                 [ok,       ok,      ok,     ok,   ok,        ok,       U],
  signOut:                [U,        ok,      ok,     ok,   ok,        F,        U],
  switchOrganization:     [U,        ok,      ok,     ok,   N,         F,        U],
  createOrganization:     [U,        ok,      ok,     ok,   ok,        F,        U],
  updateProfile:          [U,        ok,      ok,     ok,   ok,        F,        U],
  changePassword:         [U,        ok,      ok,     ok,   ok,        F,        U],
  createApiKey:           [U,        F,       F,      ok,   N,         F,        U],
  updateApiKey:           [U,        ok,      ok,     ok,   N,         F,        U],
  rotateApiKey:           [U,        ok,      ok,     ok,   N,         F,        U],
  endPreviousSecret:      [U,        ok,      ok,     ok,   N,         F,        U],
  revokeApiKey:           [U,        ok,      ok,     ok,   N,         F,        U],
  deleteApiKey:           [U,        ok,      ok,     ok,   N,         F,        U],
  inviteMembers:          [U,        F,       F,      ok,   N,         F,        U],
  resendInvitation:       [U,        F,       F,      ok,   N,         F,        U],
  cancelInvitation:       [U,        F,       F,      ok,   N,         F,        U],
  acceptInvitation:       [ok,       F,       F,      F,    F,         F,        U],
  updateMember:           [U,        F,       F,      ok,   N,         F,        U],
  removeMember:           [U,        F,       F,      ok,   N,         F,        U],
  createServiceAccount:   [U,        F,       F,      ok,   N,         F,        U],
  updateServiceAccount:   [U,        F,       F,      ok,   N,         F,        U],
  deleteServiceAccount:   [U,        F,       F,      ok,   N,         F,        U],
  createGroup:            [U,        F,       F,      ok,   ok,        F,        U],
  updateGroup:            [U,        F,       F,      ok,   N,         F,        U],
  deleteGroup:            [U,        F,       F,      ok,   N,         F,        U],
  addGroupMembers:        [U,        F,       F,      ok,   N,         F,        U],
  removeGroupMembers:     [U,        F,       F,      ok,   N,         F,        U],
  createRole:             [U,        F,       F,      ok,   ok,        F,        U],
  updateRole:             [U,        F,       F,      ok,   N,         F,        U],
  deleteRole:             [U,        F,       F,      ok,   N,         F,        U],
  createWorkspace:        [U,        F,       ok,     ok,   ok,        F,        U],
  updateWorkspace:        [U,        N,       N,      ok,   N,         N,        U],
  deleteWorkspace:        [U,        N,       N,      ok,   N,         N,        U],
  setWorkspaceRole:       [U,        N,       N,      ok,   N,         N,        U],
  removeWorkspaceMember:  [U,        N,       N,      ok,   N,         N,        U],
  updateOrganizationSettings: [U,    F,       F,      ok,   ok,        F,        U],
  mySessions:             [U,        ok,      ok,     ok,   ok,        F,        U],
  mySecurityLog:          [U,        ok,      ok,     ok,   ok,        F,        U],
  endSession:             [U,        ok,      ok,     ok,   N,         F,        U],
  endOtherSessions:       [U,        ok,      ok,     ok,   ok,        F,        U],
  startTwoFactorEnrollment: [U,      ok,      ok,     ok,   ok,        F,        U],
  confirmTwoFactorEnrollment: [U,    ok,      ok,     ok,   ok,        F,        U],
  disableTwoFactor:       [U,        ok,      ok,     ok,   ok,        F,        U],
  deleteAccount:          [U,        ok,      ok,     ok,   ok,        F,        U],
  requestPasswordReset:   [ok,       ok,      ok,     ok,   ok,        ok,       U],
  resetPassword:          [ok,       ok,      ok,     ok,   ok,        ok,       U],
  signInMethods:          [ok,       ok,      ok,     ok,   ok,        ok,       U],
  pendingProviderSignUp:  [ok,       ok,      ok,     ok,   ok,        ok,       U],
  signUpWithProvider:     [ok,       ok,      ok,     ok,   ok,        ok,       U],
  connectedSignInMethods: [U,        ok,      ok,     ok,   ok,        F,        U],
  disconnectSignInMethod: [U,        ok,      ok,     ok,   ok,        F,        U],
  identityProviders:      [U,        F,       F,      ok,   ok,        F,        U],
  ssoRedirectUri:         [U,        F,       F,      ok,   ok,        F,        U],
  createIdentityProvider: [U,        F,       F,      ok,   N,         F,        U],
  updateIdentityProvider: [U,        F,       F,      ok,   N,         F,        U],
  deleteIdentityProvider: [U,        F,       F,      ok,   N,         F,        U],
  domains:                [U,        F,       F,      ok,   ok,        F,        U],
  addDomain:              [U,        F,       F,      ok,   ok,        F,        U],
  verifyDomain:           [U,        F,       F,      ok,   N,         F,        U],
  updateDomain:           [U,        F,       F,      ok,   N,         F,        U],
  deleteDomain:           [U,        F,       F,      ok,   N,         F,        U],
  scimTokens:             [U,        F,       F,      ok,   ok,        F,        U],
  scimProvisioning:       [U,        F,       F,      ok,   ok,        F,        U],
  createScimToken:        [U,        F,       F,      ok,   ok,        F,        U],
  revokeScimToken:        [U,        F,       F,      ok,   N,         F,        U],
  auditStreams:           [U,        F,       F,      ok,   ok,        F,        U],
  createAuditStream:      [U,        F,       F,      ok,   ok,        F,        U],
  updateAuditStream:      [U,        F,       F,      ok,   N,         F,        U],
  deleteAuditStream:      [U,        F,       F,      ok,   N,         F,        U],
  testAuditStream:        [U,        F,       F,      ok,   N,         F,        U],
  explainAccess:          [U,        ok,      ok,     ok,   N,         ok,       U],
  requestAccess:          [U,        N,       N,      ok,   N,         N,        U],
  accessRequests:         [U,        ok,      ok,     ok,   ok,        ok,       U],
  approveAccessRequest:   [U,        F,       N,      ok,   N,         N,        U],
  denyAccessRequest:      [U,        F,       N,      ok,   N,         N,        U],
  startAccessReview:      [U,        F,       F,      ok,   N,         F,        U],
  accessReviews:          [U,        F,       F,      ok,   ok,        F,        U],
  accessReview:           [U,        F,       F,      ok,   N,         F,        U],
  decideAccessReviewItem: [U,        F,       F,      ok,   N,         F,        U],
  completeAccessReview:   [U,        F,       F,      ok,   N,         F,        U],
  redeliverAuditEvents:   [U,        F,       F,      ok,   N,         F,        U],
  passkeys:               [U,        ok,      ok,     ok,   ok,        F,        U],
  startPasskeyRegistration: [U,      ok,      ok,     ok,   ok,        F,        U],
  finishPasskeyRegistration: [U,     ok,      ok,     ok,   ok,        F,        U],
  renamePasskey:          [U,        ok,      ok,     ok,   N,         F,        U],
  deletePasskey:          [U,        ok,      ok,     ok,   N,         F,        U],
  passkeySignInOptions:   [ok,       ok,      ok,     ok,   ok,        ok,       U],
  finishPasskeySignIn:    [ok,       ok,      ok,     ok,   ok,        ok,       U],
};

/** Organization A (admin, consumer, builder, the admin's keys) and organization B's admin. */
interface World {
  admin: SignedUp;
  consumer: SignedUp;
  builder: SignedUp;
  other: SignedUp;
  narrowKey: TestClient;
  revokedKey: TestClient;
}

interface Caller {
  name: PrincipalName;
  client: TestClient;
  /** The signed-in person behind a session (not set for keys and anonymous callers). */
  person: SignedUp | null;
}

type Call = { query: string; variables?: Record<string, unknown> };
type CallBuilder = (world: World, caller: Caller) => Promise<Call>;

let app: TestApp;
let schema: GraphQLSchema;
beforeAll(async () => {
  app = await startTestApp();
  schema = await buildAppSchema();
});
afterAll(() => app.close());

async function newWorld(): Promise<World> {
  const admin = await signUp(app);
  const [consumer, builder, other] = await Promise.all([
    addMember(app, admin, 'consumer'),
    addMember(app, admin, 'builder'),
    signUp(app),
  ]);
  const narrow = (await admin.client.ok(CREATE_API_KEY, { input: { name: 'narrow', scopes: ['members:read'] } }))
    .createApiKey;
  const revoked = (await admin.client.ok(CREATE_API_KEY, { input: { name: 'revoked' } })).createApiKey;
  await admin.client.ok(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: revoked.apiKey.id });
  return {
    admin,
    consumer,
    builder,
    other,
    narrowKey: withKey(app, narrow.secret),
    revokedKey: withKey(app, revoked.secret),
  };
}

function callerOf(world: World, name: PrincipalName): Caller {
  const people: Partial<Record<PrincipalName, SignedUp>> = {
    consumer: world.consumer,
    builder: world.builder,
    admin: world.admin,
    otherAdmin: world.other,
  };
  const person = people[name] ?? null;
  const client =
    person?.client ??
    (name === 'narrowKey' ? world.narrowKey : name === 'revokedKey' ? world.revokedKey : app.client());
  return { name, client, person };
}

const A = (world: World) => world.admin.client;

async function customRole(world: World, scope = 'TENANT'): Promise<string> {
  const permissions = scope === 'TENANT' ? ['profile:read'] : ['workspace:read'];
  const { createRole } = await A(world).ok(`mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }`, {
    input: { name: unique('Role'), scope, permissions },
  });
  return createRole.id;
}

async function serviceAccount(world: World): Promise<string> {
  const { createServiceAccount } = await A(world).ok(
    `mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { serviceAccount { id } } }`,
    { input: { name: unique('Bot'), roleId: 'consumer' } },
  );
  return createServiceAccount.serviceAccount.id;
}

async function invitation(world: World): Promise<{ id: string; token: string }> {
  const email = uniqueEmail('matrix');
  const { inviteMembers } = await A(world).ok(INVITE, { input: { invitations: [{ email, roleId: 'consumer' }] } });
  return { id: inviteMembers[0].id, token: await invitationToken(app.db, email) };
}

const sharedKeys = new WeakMap<World, Promise<string>>();

/**
 * A key the caller may manage: their own; for anyone else one of A's admin's keys, the same
 * one for all of them (their calls are refused, and the five-key limit would stop a key each).
 */
async function keyFor(world: World, caller: Caller, which: 'new' | 'default' = 'new'): Promise<string> {
  const ownsKeys = caller.person && caller.name !== 'otherAdmin';
  const owner = ownsKeys ? caller.person!.client : A(world);
  if (which === 'default') {
    const { apiKeys } = await owner.ok(`{ apiKeys { id isDefault } }`);
    return apiKeys.find((key: { isDefault: boolean }) => key.isDefault).id;
  }
  const create = async () =>
    (await owner.ok(CREATE_API_KEY, { input: { name: unique('key') } })).createApiKey.apiKey.id;
  if (ownsKeys) return create();
  if (!sharedKeys.has(world)) sharedKeys.set(world, create());
  return sharedKeys.get(world)!;
}

/** A passkey of the caller (of organization A's Admin for everyone else), registered with a software authenticator. */
async function passkeyFor(world: World, caller: Caller): Promise<{ id: string; authenticator: SoftwareAuthenticator }> {
  const owner = caller.person && caller.name !== 'otherAdmin' ? caller.person : world.admin;
  const authenticator = new SoftwareAuthenticator(app.config.publicUrl);
  const { startPasskeyRegistration } = await owner.client.ok('mutation { startPasskeyRegistration }');
  const { finishPasskeyRegistration } = await owner.client.ok(
    'mutation($input: FinishPasskeyRegistrationInput!) { finishPasskeyRegistration(input: $input) { id } }',
    { input: { name: unique('Key'), response: authenticator.register(startPasskeyRegistration) } },
  );
  return { id: finishPasskeyRegistration.id, authenticator };
}

const recoveryCodes = new Map<string, string[]>();

/** Turns 2FA on for the person once, and answers one of their recovery codes not handed out yet. */
async function unusedRecoveryCode(person: SignedUp): Promise<string> {
  if (!recoveryCodes.has(person.userId)) {
    const { startTwoFactorEnrollment } = await person.client.ok('mutation { startTwoFactorEnrollment { secret } }');
    const { confirmTwoFactorEnrollment } = await person.client.ok(
      'mutation($code: String!) { confirmTwoFactorEnrollment(code: $code) }',
      { code: totpCode(startTwoFactorEnrollment.secret) },
    );
    recoveryCodes.set(person.userId, confirmTwoFactorEnrollment);
  }
  return recoveryCodes.get(person.userId)!.pop()!;
}

async function identityProvider(world: World): Promise<string> {
  const { createIdentityProvider } = await A(world).ok(CREATE_IDENTITY_PROVIDER, { input: identityProviderInput() });
  return createIdentityProvider.id;
}

const ADD_DOMAIN = 'mutation($d: String!) { addDomain(domain: $d) { id } }';

async function domainClaim(world: World): Promise<string> {
  return (await A(world).ok(ADD_DOMAIN, { d: uniqueDomain() })).addDomain.id;
}

const id = (query: string) => async (variables: Record<string, unknown>) => ({ query, variables });

// A name that never resolves: the server accepts it (https, nothing private to judge) and never reaches it.
const CREATE_AUDIT_STREAM = `mutation($n: String!) {
  createAuditStream(input: { name: $n, kind: WEBHOOK, url: "https://audit-receiver.invalid/hook" }) { auditStream { id } } }`;

async function auditStream(world: World): Promise<string> {
  return (await A(world).ok(CREATE_AUDIT_STREAM, { n: unique('Stream') })).createAuditStream.auditStream.id;
}

const CALLS: Record<string, CallBuilder> = {
  viewer: async () => ({ query: '{ viewer { user { id } } }' }),
  apiKeys: async (w, c) => ({
    query: 'query($o: ID) { apiKeys(ownerId: $o) { id } }',
    variables: { o: c.name === 'otherAdmin' ? await serviceAccount(w) : null },
  }),
  can: async (w) => ({
    query: 'query($w: ID) { can(permission: "members:read", workspaceId: $w) }',
    variables: { w: await createWorkspace(A(w)) },
  }),
  groups: async () => ({ query: '{ groups { id } }' }),
  requestAccess: async (w) => ({
    query: `mutation($w: ID!) {
      requestAccess(input: { roleId: "viewer", workspaceId: $w, durationMinutes: 60, reason: "Matrix" }) { id }
    }`,
    variables: { w: await createWorkspace(A(w)) },
  }),
  accessRequests: async () => ({ query: '{ accessRequests { id } }' }),
  approveAccessRequest: async (w) => ({
    query: 'mutation($id: ID!) { approveAccessRequest(input: { id: $id }) { id } }',
    variables: { id: await consumerAccessRequest(w) },
  }),
  denyAccessRequest: async (w) => ({
    query: 'mutation($id: ID!) { denyAccessRequest(input: { id: $id, comment: "No" }) { id } }',
    variables: { id: await consumerAccessRequest(w) },
  }),
  startAccessReview: async (w) => ({
    query: 'mutation($w: ID) { startAccessReview(workspaceId: $w) { id } }',
    variables: { w: await createWorkspace(A(w)) },
  }),
  accessReviews: async () => ({ query: '{ accessReviews { id } }' }),
  accessReview: async (w) => ({
    query: 'query($id: ID!) { accessReview(id: $id) { id } }',
    variables: { id: (await workspaceAccessReview(w)).id },
  }),
  decideAccessReviewItem: async (w) => ({
    query: 'mutation($i: ID!) { decideAccessReviewItem(itemId: $i, decision: KEEP) { id } }',
    variables: { i: (await workspaceAccessReview(w)).items[0].id },
  }),
  completeAccessReview: async (w) => ({
    query: 'mutation($id: ID!) { completeAccessReview(id: $id) { id } }',
    variables: { id: (await workspaceAccessReview(w)).id },
  }),
  explainAccess: async (w) => ({
    query: 'query($p: ID!) { explainAccess(principalId: $p, permission: "members:read") { allowed } }',
    variables: { p: w.consumer.userId },
  }),
  invitationPreview: async (w) => ({
    query: 'query($t: String!) { invitationPreview(token: $t) { status } }',
    variables: { t: (await invitation(w)).token },
  }),
  invitations: async () => ({ query: '{ invitations { id } }' }),
  members: async () => ({ query: '{ members { nodes { id } } }' }),
  permissionCatalog: async () => ({ query: '{ permissionCatalog { name } }' }),
  roles: async () => ({ query: '{ roles { id } }' }),
  serviceAccounts: async () => ({ query: '{ serviceAccounts { id } }' }),
  workspaces: async () => ({ query: '{ workspaces { id } }' }),
  auditEvents: async () => ({ query: '{ auditEvents(first: 5) { nodes { id } } }' }),
  verifyAuditLog: async () => ({ query: '{ verifyAuditLog { ok } }' }),
  mySessions: async () => ({ query: '{ mySessions { id } }' }),
  mySecurityLog: async () => ({ query: '{ mySecurityLog { nodes { id } } }' }),
  endSession: async (w, c) => {
    // A fresh session of the caller (of organization A's Admin for otherAdmin), so ending it leaves the caller signed in.
    const owner = c.name === 'otherAdmin' || !c.person ? w.admin : c.person;
    await app.client().ok('mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }', {
      input: { email: owner.email, password: owner.password },
    });
    const [{ id }] = await app.db.query(
      'SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1',
      [owner.userId],
    );
    return { query: 'mutation($id: ID!) { endSession(id: $id) }', variables: { id } };
  },
  endOtherSessions: async () => ({ query: 'mutation { endOtherSessions }' }),
  startTwoFactorEnrollment: async () => ({ query: 'mutation { startTwoFactorEnrollment { secret } }' }),
  confirmTwoFactorEnrollment: async (w, c) => {
    const { startTwoFactorEnrollment } = await (c.person ?? w.admin).client.ok(
      'mutation { startTwoFactorEnrollment { secret } }',
    );
    return {
      query: 'mutation($code: String!) { confirmTwoFactorEnrollment(code: $code) }',
      variables: { code: totpCode(startTwoFactorEnrollment.secret) },
    };
  },
  disableTwoFactor: async (w, c) => {
    const person = c.person ?? w.admin;
    return {
      query: 'mutation($p: String!, $c: String!) { disableTwoFactor(password: $p, code: $c) }',
      variables: { p: person.password, c: await unusedRecoveryCode(person) },
    };
  },
  deleteAccount: async () => ({
    query: 'mutation { deleteAccount(confirmation: "delete my account") }',
  }),
  passkeys: async () => ({ query: '{ passkeys { id } }' }),
  startPasskeyRegistration: async () => ({ query: 'mutation { startPasskeyRegistration }' }),
  finishPasskeyRegistration: async (w, c) => {
    const owner = c.person ?? w.admin;
    const { startPasskeyRegistration } = await owner.client.ok('mutation { startPasskeyRegistration }');
    const response = new SoftwareAuthenticator(app.config.publicUrl).register(startPasskeyRegistration);
    return {
      query: 'mutation($input: FinishPasskeyRegistrationInput!) { finishPasskeyRegistration(input: $input) { id } }',
      variables: { input: { name: 'Key', response } },
    };
  },
  renamePasskey: async (w, c) => ({
    query: 'mutation($input: RenamePasskeyInput!) { renamePasskey(input: $input) { id } }',
    variables: { input: { id: (await passkeyFor(w, c)).id, name: 'Renamed' } },
  }),
  deletePasskey: async (w, c) => ({
    query: 'mutation($id: ID!) { deletePasskey(id: $id) }',
    variables: { id: (await passkeyFor(w, c)).id },
  }),
  passkeySignInOptions: async () => ({ query: '{ passkeySignInOptions }' }),
  finishPasskeySignIn: async (w, c) => {
    const { authenticator } = await passkeyFor(w, c);
    const { passkeySignInOptions } = await app.client().ok('{ passkeySignInOptions }');
    return {
      query: 'mutation($input: FinishPasskeySignInInput!) { finishPasskeySignIn(input: $input) { user { id } } }',
      variables: { input: { response: authenticator.authenticate(passkeySignInOptions) } },
    };
  },
  signInMethods: async () => ({ query: '{ signInMethods { id } }' }),
  pendingProviderSignUp: async () => ({
    query: 'query($t: String!) { pendingProviderSignUp(signUpToken: $t) { email } }',
    variables: { t: providerSignUpToken() },
  }),
  signUpWithProvider: async () => ({
    query: 'mutation($input: ProviderSignUpInput!) { signUpWithProvider(input: $input) { user { id } } }',
    variables: {
      input: { signUpToken: providerSignUpToken(), firstName: 'So', lastName: 'Cial', organizationName: 'Social Org' },
    },
  }),
  connectedSignInMethods: async () => ({ query: '{ connectedSignInMethods { provider } }' }),
  disconnectSignInMethod: async (w, c) => {
    const person = c.person ?? w.admin;
    await app.db.query(
      `INSERT INTO social_identities (provider, subject, user_id, email) VALUES ('github', $1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [person.userId, person.userId, person.email],
    );
    return { query: 'mutation { disconnectSignInMethod(provider: github) { provider } }' };
  },
  requestPasswordReset: async () => ({
    query: 'mutation($e: String!) { requestPasswordReset(email: $e) }',
    variables: { e: uniqueEmail() },
  }),
  resetPassword: async () => {
    const spare = await signUp(app);
    const token = 'matrix-token-' + unique('t').replace(/\W/g, '');
    await app.db.query(
      `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at) VALUES ($1, sha256($2::bytea), now() + interval '1 hour')`,
      [spare.userId, token],
    );
    return {
      query: 'mutation($input: ResetPasswordInput!) { resetPassword(input: $input) }',
      variables: { input: { token, newPassword: 'Matrix-Reset-Pass-1' } },
    };
  },
  identityProviders: async () => ({ query: '{ identityProviders { id } }' }),
  ssoRedirectUri: async () => ({ query: '{ ssoRedirectUri }' }),
  // Mapped to one of organization A's groups: another organization's Admin gets NOT_FOUND.
  createIdentityProvider: async (w) => ({
    query: CREATE_IDENTITY_PROVIDER,
    variables: {
      input: identityProviderInput({
        groupMappings: [{ idpGroup: 'admins', roleId: 'admin', groupId: await createGroup(A(w)) }],
      }),
    },
  }),
  updateIdentityProvider: async (w) => ({
    query:
      'mutation($id: ID!, $input: IdentityProviderInput!) { updateIdentityProvider(id: $id, input: $input) { id } }',
    variables: { id: await identityProvider(w), input: identityProviderInput() },
  }),
  deleteIdentityProvider: async (w) =>
    id('mutation($id: ID!) { deleteIdentityProvider(id: $id) }')({ id: await identityProvider(w) }),
  domains: async () => ({ query: '{ domains { id } }' }),
  addDomain: async () => ({ query: ADD_DOMAIN, variables: { d: uniqueDomain() } }),
  verifyDomain: async (w) => id('mutation($id: ID!) { verifyDomain(id: $id) { id } }')({ id: await domainClaim(w) }),
  updateDomain: async (w) =>
    id('mutation($id: ID!) { updateDomain(id: $id, input: { includeSubdomains: true }) { id } }')({
      id: await domainClaim(w),
    }),
  deleteDomain: async (w) => id('mutation($id: ID!) { deleteDomain(id: $id) }')({ id: await domainClaim(w) }),
  scimTokens: async () => ({ query: '{ scimTokens { id } }' }),
  scimProvisioning: async () => ({ query: '{ scimProvisioning { baseUrl } }' }),
  createScimToken: async () => ({
    query: 'mutation($n: String!) { createScimToken(name: $n) { secret } }',
    variables: { n: 'Okta' },
  }),
  revokeScimToken: async (w) =>
    id('mutation($id: ID!) { revokeScimToken(id: $id) }')({
      id: (await A(w).ok('mutation { createScimToken(name: "Okta") { scimToken { id } } }')).createScimToken.scimToken
        .id,
    }),
  auditStreams: async () => ({ query: '{ auditStreams { id } }' }),
  createAuditStream: async () => ({ query: CREATE_AUDIT_STREAM, variables: { n: unique('Stream') } }),
  updateAuditStream: async (w) =>
    id('mutation($id: ID!) { updateAuditStream(id: $id, input: { paused: true }) { id } }')({
      id: await auditStream(w),
    }),
  deleteAuditStream: async (w) => id('mutation($id: ID!) { deleteAuditStream(id: $id) }')({ id: await auditStream(w) }),
  testAuditStream: async (w) =>
    id('mutation($id: ID!) { testAuditStream(id: $id) { id } }')({ id: await auditStream(w) }),
  redeliverAuditEvents: async (w) =>
    id('mutation($id: ID!) { redeliverAuditEvents(streamId: $id, fromSequence: 1) { id } }')({
      id: await auditStream(w),
    }),
  membersWithoutTwoFactor: async () => ({ query: '{ membersWithoutTwoFactor { id } }' }),
  organizationSettings: async () => ({ query: '{ organizationSettings { ai { copilotTestDataAccess } } }' }),
  updateOrganizationSettings: async () => ({
    query:
      'mutation { updateOrganizationSettings(input: { ai: { copilotTestDataAccess: true } }) { ai { copilotTestDataAccess } } }',
  }),
  signUp: async () => ({
    query: 'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
    variables: {
      input: {
        email: uniqueEmail(),
        password: STRONG_PASSWORD,
        firstName: 'M',
        lastName: 'X',
        organizationName: 'Matrix',
      },
    },
  }),
  signIn: async () => {
    const spare = await signUp(app);
    return {
      query: 'mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }',
      variables: { input: { email: spare.email, password: STRONG_PASSWORD } },
    };
  },
  signOut: async () => ({ query: 'mutation { signOut }' }),
  switchOrganization: async (w) =>
    id('mutation($o: ID!) { switchOrganization(organizationId: $o) { organization { id } } }')({
      o: w.admin.organizationId,
    }),
  createOrganization: async () => ({
    query: 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }',
    variables: { input: { name: 'Second org' } },
  }),
  updateProfile: async () => ({
    query: 'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }',
    variables: { input: { firstName: 'Renamed' } },
  }),
  changePassword: async () => ({
    query: 'mutation($input: ChangePasswordInput!) { changePassword(input: $input) }',
    variables: { input: { currentPassword: STRONG_PASSWORD, newPassword: 'Another!Pass2026' } },
  }),
  createApiKey: async (w) => ({
    query: CREATE_API_KEY,
    variables: { input: { name: unique('sa key'), ownerId: await serviceAccount(w) } },
  }),
  updateApiKey: async (w, c) =>
    id('mutation($id: ID!) { updateApiKey(id: $id, input: { name: "renamed" }) { id } }')({ id: await keyFor(w, c) }),
  rotateApiKey: async (w, c) =>
    id('mutation($id: ID!) { rotateApiKey(id: $id) { secret } }')({ id: await keyFor(w, c, 'default') }),
  endPreviousSecret: async (w, c) => {
    const keyId = await keyFor(w, c, 'default');
    // As a rotation with a grace period leaves it, without revealing a secret to the test.
    await app.db.query(
      `UPDATE api_keys SET previous_secret_hash = sha256(random()::text::bytea),
              previous_secret_expires_at = now() + interval '1 hour' WHERE id = $1`,
      [keyId],
    );
    return id('mutation($id: ID!) { endPreviousSecret(id: $id) { id } }')({ id: keyId });
  },
  revokeApiKey: async (w, c) => id('mutation($id: ID!) { revokeApiKey(id: $id) { id } }')({ id: await keyFor(w, c) }),
  deleteApiKey: async (w, c) => id('mutation($id: ID!) { deleteApiKey(id: $id) }')({ id: await keyFor(w, c) }),
  inviteMembers: async (w) => ({
    query: INVITE,
    variables: { input: { invitations: [{ email: uniqueEmail(), roleId: await customRole(w) }] } },
  }),
  resendInvitation: async (w) =>
    id('mutation($id: ID!) { resendInvitation(id: $id) { id } }')({ id: (await invitation(w)).id }),
  cancelInvitation: async (w) =>
    id('mutation($id: ID!) { cancelInvitation(id: $id) }')({ id: (await invitation(w)).id }),
  acceptInvitation: async (w) => ({
    query: 'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { user { id } } }',
    variables: {
      input: { token: (await invitation(w)).token, firstName: 'New', lastName: 'Member', password: STRONG_PASSWORD },
    },
  }),
  updateMember: async (w) =>
    id('mutation($u: ID!) { updateMember(input: { userId: $u, roleId: "builder" }) { id } }')({
      u: (await addMember(app, w.admin)).userId,
    }),
  removeMember: async (w) =>
    id('mutation($u: ID!) { removeMember(userId: $u) }')({ u: (await addMember(app, w.admin)).userId }),
  createServiceAccount: async (w) => ({
    query: 'mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { secret } }',
    variables: { input: { name: unique('Bot'), roleId: await customRole(w) } },
  }),
  updateServiceAccount: async (w) =>
    id('mutation($id: ID!) { updateServiceAccount(id: $id, input: { description: "x" }) { id } }')({
      id: await serviceAccount(w),
    }),
  deleteServiceAccount: async (w) =>
    id('mutation($id: ID!) { deleteServiceAccount(id: $id) }')({ id: await serviceAccount(w) }),
  createGroup: async () => ({
    query: 'mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }',
    variables: { input: { name: unique('Group') } },
  }),
  updateGroup: async (w) =>
    id('mutation($id: ID!) { updateGroup(id: $id, input: { description: "x" }) { id } }')({
      id: await createGroup(A(w)),
    }),
  deleteGroup: async (w) => id('mutation($id: ID!) { deleteGroup(id: $id) }')({ id: await createGroup(A(w)) }),
  addGroupMembers: async (w) =>
    id('mutation($g: ID!, $p: [ID!]!) { addGroupMembers(groupId: $g, principalIds: $p) { id } }')({
      g: await createGroup(A(w)),
      p: [w.consumer.userId],
    }),
  removeGroupMembers: async (w) =>
    id('mutation($g: ID!, $p: [ID!]!) { removeGroupMembers(groupId: $g, principalIds: $p) { id } }')({
      g: await createGroup(A(w)),
      p: [w.consumer.userId],
    }),
  createRole: async () => ({
    query: 'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }',
    variables: { input: { name: unique('Role'), scope: 'TENANT', permissions: ['profile:read'] } },
  }),
  updateRole: async (w) =>
    id('mutation($id: ID!) { updateRole(id: $id, input: { description: "x" }) { id } }')({ id: await customRole(w) }),
  deleteRole: async (w) => id('mutation($id: ID!) { deleteRole(id: $id) }')({ id: await customRole(w) }),
  createWorkspace: async () => ({
    query: 'mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { id } }',
    variables: { input: { name: unique('Workspace') } },
  }),
  updateWorkspace: async (w) =>
    id('mutation($id: ID!) { updateWorkspace(id: $id, input: { description: "x" }) { id } }')({
      id: await createWorkspace(A(w)),
    }),
  deleteWorkspace: async (w) =>
    id('mutation($id: ID!) { deleteWorkspace(id: $id) }')({ id: await createWorkspace(A(w)) }),
  setWorkspaceRole: async (w) => ({
    query: SET_WORKSPACE_ROLE,
    variables: {
      input: { workspaceId: await createWorkspace(A(w)), principalId: w.consumer.userId, roleId: 'viewer' },
    },
  }),
  removeWorkspaceMember: async (w) => {
    const workspaceId = await createWorkspace(A(w));
    const principalId = await serviceAccount(w);
    await A(w).ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId, roleId: 'viewer' } });
    return id('mutation($w: ID!, $p: ID!) { removeWorkspaceMember(workspaceId: $w, principalId: $p) { id } }')({
      w: workspaceId,
      p: principalId,
    });
  },
};

function schemaOperations(): string[] {
  return [
    ...Object.keys(schema.getQueryType()!.getFields()),
    ...Object.keys(schema.getMutationType()!.getFields()),
  ].sort();
}

/** Everything organization A holds, so a refused call can be shown to have changed nothing. */
async function digest(organizationId: string): Promise<string> {
  const [row] = await app.db.query(
    `SELECT md5(concat_ws('|',
       (SELECT string_agg(concat_ws(',', user_id, role_id, status), ';' ORDER BY user_id) FROM memberships WHERE organization_id = $1),
       (SELECT string_agg(concat_ws(',', id, name, description), ';' ORDER BY id) FROM groups WHERE organization_id = $1),
       (SELECT string_agg(concat_ws(',', group_id, user_id), ';' ORDER BY group_id, user_id) FROM group_members WHERE organization_id = $1),
       (SELECT string_agg(concat_ws(',', id, name, description), ';' ORDER BY id) FROM workspaces WHERE organization_id = $1),
       (SELECT string_agg(concat_ws(',', id, user_id, group_id, role_id), ';' ORDER BY id) FROM workspace_members WHERE organization_id = $1),
       (SELECT string_agg(concat_ws(',', id, token_hash, expires_at, cancelled_at, accepted_at), ';' ORDER BY id) FROM invitations WHERE organization_id = $1),
       (SELECT string_agg(concat_ws(',', id, name, description, permissions), ';' ORDER BY id) FROM roles WHERE organization_id = $1),
       (SELECT string_agg(concat_ws(',', user_id, name, description), ';' ORDER BY user_id) FROM service_accounts WHERE organization_id = $1),
       (SELECT string_agg(concat_ws(',', id, name, description, secret_hash, revoked_at), ';' ORDER BY id) FROM api_keys WHERE organization_id = $1),
       (SELECT string_agg(concat_ws(',', id, name, issuer, client_id, client_secret_sealed, enabled), ';' ORDER BY id) FROM identity_providers WHERE organization_id = $1),
       (SELECT count(*) FROM audit_events WHERE organization_id = $1)
     )) AS digest`,
    [organizationId],
  );
  return row.digest;
}

describe('authorization matrix', () => {
  it('has a row and a call for every query and mutation in the schema', () => {
    const operations = schemaOperations();
    expect(operations.filter((operation) => !MATRIX[operation])).toEqual([]);
    expect(operations.filter((operation) => !CALLS[operation])).toEqual([]);
    expect(Object.keys(MATRIX).filter((operation) => !operations.includes(operation))).toEqual([]);
  });

  it.each(Object.keys(MATRIX))('%s', async (operation) => {
    const world = await newWorld();
    // Admin last: some calls (signOut, changePassword) change the session the others' set-up uses.
    const order: PrincipalName[] = [
      'anonymous',
      'consumer',
      'builder',
      'otherAdmin',
      'narrowKey',
      'revokedKey',
      'admin',
    ];
    const actual: Partial<Record<PrincipalName, Outcome>> = {};
    for (const name of order) {
      const caller = callerOf(world, name);
      const { query, variables } = await CALLS[operation](world, caller);
      const before = name === 'otherAdmin' ? await digest(world.admin.organizationId) : null;
      const result = await caller.client.request(query, variables);
      actual[name] = result.errors ? ((errorCode(result) ?? 'error') as Outcome) : ok;
      if (before !== null && actual[name] !== ok) {
        expect({ operation, unchanged: await digest(world.admin.organizationId) }).toEqual({
          operation,
          unchanged: before,
        });
      }
    }
    const expected = Object.fromEntries(PRINCIPALS.map((name, index) => [name, MATRIX[operation][index]]));
    expect(actual).toEqual(expected);
  });
});

/**
 * The REST routes (app/routes.ts) × the same callers: they go through the same guard, so their
 * outcomes read like the operations'. A browser route that reaches its handler redirects (ok).
 */
// prettier-ignore
const REST_MATRIX: Record<string, readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]> = {
  //                                anonymous consumer builder admin otherAdmin narrowKey revokedKey
  'GET /api/audit-events/export':    [U,       F,       F,      ok,   ok,        F,        U],
  'GET /api/access-review/export':   [U,       F,       F,      ok,   ok,        F,        U],
  'PUT /api/organization/logo':      [U,       F,       F,      ok,   ok,        F,        U],
  'DELETE /api/organization/logo':   [U,       F,       F,      ok,   ok,        F,        U],
  'GET /api/organizations/:id/logo': [U,       ok,      ok,     ok,   N,         ok,       U],
  'POST /api/keys/verify':           [U,       F,       F,      F,    F,         F,        U],
  'POST /api/keys/leaked':           [U,       U,       U,      U,    U,         U,        U],
  'GET /api/sso/start':              [ok,      ok,      ok,     ok,   ok,        ok,       U],
  'GET /api/sso/callback':           [ok,      ok,      ok,     ok,   ok,        ok,       U],
  'GET /api/auth/:provider/start':   [ok,      ok,      ok,     ok,   ok,        ok,       U],
  'GET /api/auth/:provider/callback': [ok,     ok,      ok,     ok,   ok,        ok,       U],
  // Discovery is public; everything else takes the organization's SCIM token (scim/scim.test.ts) and no other credential.
  'GET /scim/v2/ServiceProviderConfig': [ok,   ok,      ok,     ok,   ok,        ok,       U],
  'GET /scim/v2/ResourceTypes':      [ok,      ok,      ok,     ok,   ok,        ok,       U],
  'GET /scim/v2/Schemas':            [ok,      ok,      ok,     ok,   ok,        ok,       U],
  'GET /scim/v2/Users':              [U,       U,       U,      U,    U,         U,        U],
  'POST /scim/v2/Users':             [U,       U,       U,      U,    U,         U,        U],
  'GET /scim/v2/Users/:id':          [U,       U,       U,      U,    U,         U,        U],
  'PUT /scim/v2/Users/:id':          [U,       U,       U,      U,    U,         U,        U],
  'PATCH /scim/v2/Users/:id':        [U,       U,       U,      U,    U,         U,        U],
  'DELETE /scim/v2/Users/:id':       [U,       U,       U,      U,    U,         U,        U],
  'GET /scim/v2/Groups':             [U,       U,       U,      U,    U,         U,        U],
  'POST /scim/v2/Groups':            [U,       U,       U,      U,    U,         U,        U],
  'GET /scim/v2/Groups/:id':         [U,       U,       U,      U,    U,         U,        U],
  'PUT /scim/v2/Groups/:id':         [U,       U,       U,      U,    U,         U,        U],
  'PATCH /scim/v2/Groups/:id':       [U,       U,       U,      U,    U,         U,        U],
  'DELETE /scim/v2/Groups/:id':      [U,       U,       U,      U,    U,         U,        U],
};

/** An open review of a new workspace of organization A (one open review per scope, so one per call). */
async function workspaceAccessReview(w: World): Promise<{ id: string; items: { id: string }[] }> {
  const { startAccessReview } = await A(w).ok(
    'mutation($w: ID) { startAccessReview(workspaceId: $w) { id items { id } } }',
    { w: await createWorkspace(A(w)) },
  );
  return startAccessReview;
}

/** A pending request by organization A's consumer, a Viewer of a new workspace of A, to contribute there. */
async function consumerAccessRequest(w: World): Promise<string> {
  const workspaceId = await createWorkspace(w.admin.client);
  await w.admin.client.ok(SET_WORKSPACE_ROLE, {
    input: { workspaceId, principalId: w.consumer.userId, roleId: 'viewer' },
  });
  const { requestAccess } = await w.consumer.client.ok(
    `mutation($w: ID!) {
      requestAccess(input: { roleId: "contributor", workspaceId: $w, durationMinutes: 60, reason: "Matrix" }) { id }
    }`,
    { w: workspaceId },
  );
  return requestAccess.id;
}

/** What the social callback seals for the sign-up page (social/social.service.ts), for a new person. */
function providerSignUpToken(): string {
  const email = uniqueEmail('social');
  return secretBoxFor(app.config).seal(
    JSON.stringify({
      provider: 'google',
      subject: email,
      email,
      firstName: '',
      lastName: '',
      purpose: 'social-sign-up',
      sealedAt: Date.now(),
    }),
  );
}

const LOGO = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16, 1)]);

/** What each route is called with; organization A's logo exists, so a member reading it gets it. */
const REST_CALLS: Record<string, (world: World) => Promise<{ path: string; body?: Buffer }>> = {
  'GET /api/audit-events/export': async () => ({ path: '/api/audit-events/export?format=ndjson' }),
  'GET /api/access-review/export': async () => ({ path: '/api/access-review/export?format=csv' }),
  'PUT /api/organization/logo': async () => ({ path: '/api/organization/logo', body: LOGO }),
  'DELETE /api/organization/logo': async () => ({ path: '/api/organization/logo' }),
  'GET /api/organizations/:id/logo': async (w) => {
    const upload = await fetch(`${app.url}/api/organization/logo`, {
      method: 'PUT',
      headers: { cookie: w.admin.client.cookie! },
      body: LOGO,
    });
    expect(upload.status).toBe(204);
    return { path: `/api/organizations/${w.admin.organizationId}/logo` };
  },
  'POST /api/keys/verify': async () => ({ path: '/api/keys/verify', body: Buffer.from('{}') }),
  'POST /api/keys/leaked': async () => ({ path: '/api/keys/leaked', body: Buffer.from('[]') }),
  'GET /api/sso/start': async () => ({ path: '/api/sso/start' }),
  'GET /api/sso/callback': async () => ({ path: '/api/sso/callback?code=x&state=y' }),
  'GET /api/auth/:provider/start': async () => ({ path: '/api/auth/google/start' }),
  'GET /api/auth/:provider/callback': async () => ({ path: '/api/auth/github/callback?code=x&state=y' }),
  'GET /scim/v2/ServiceProviderConfig': async () => ({ path: '/scim/v2/ServiceProviderConfig' }),
  'GET /scim/v2/ResourceTypes': async () => ({ path: '/scim/v2/ResourceTypes' }),
  'GET /scim/v2/Schemas': async () => ({ path: '/scim/v2/Schemas' }),
  'GET /scim/v2/Users': async () => ({ path: '/scim/v2/Users' }),
  'POST /scim/v2/Users': async () => ({ path: '/scim/v2/Users', body: SCIM_USER }),
  'GET /scim/v2/Users/:id': async (w) => ({ path: `/scim/v2/Users/${w.admin.userId}` }),
  'PUT /scim/v2/Users/:id': async (w) => ({ path: `/scim/v2/Users/${w.admin.userId}`, body: SCIM_USER }),
  'PATCH /scim/v2/Users/:id': async (w) => ({ path: `/scim/v2/Users/${w.admin.userId}`, body: SCIM_USER }),
  'DELETE /scim/v2/Users/:id': async (w) => ({ path: `/scim/v2/Users/${w.admin.userId}` }),
  'GET /scim/v2/Groups': async () => ({ path: '/scim/v2/Groups' }),
  'POST /scim/v2/Groups': async () => ({ path: '/scim/v2/Groups', body: SCIM_USER }),
  'GET /scim/v2/Groups/:id': async (w) => ({ path: `/scim/v2/Groups/${await createGroup(A(w))}` }),
  'PUT /scim/v2/Groups/:id': async (w) => ({ path: `/scim/v2/Groups/${await createGroup(A(w))}`, body: SCIM_USER }),
  'PATCH /scim/v2/Groups/:id': async (w) => ({ path: `/scim/v2/Groups/${await createGroup(A(w))}`, body: SCIM_USER }),
  'DELETE /scim/v2/Groups/:id': async (w) => ({ path: `/scim/v2/Groups/${await createGroup(A(w))}` }),
};

/** Never read: every caller of the matrix is refused before the body. */
const SCIM_USER = Buffer.from(JSON.stringify({ userName: 'matrix@example.com' }));

async function restOutcome(caller: TestClient, method: string, path: string, body?: Buffer): Promise<Outcome> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    body,
    redirect: 'manual',
    headers: {
      'x-forwarded-for': caller.ip,
      ...(caller.cookie ? { cookie: caller.cookie } : {}),
      ...(caller.bearer ? { authorization: `Bearer ${caller.bearer}` } : {}),
    },
  });
  if (response.status < 400) return ok;
  const answer = await response.json();
  // SCIM routes answer with SCIM error bodies (RFC 7644 §3.12), whose status says the same.
  if (answer.schemas) return ({ 401: U, 403: F, 404: N } as Record<string, Outcome>)[answer.status];
  return answer.errors[0].extensions.code;
}

describe('authorization matrix of the REST routes', () => {
  const routes = API_ROUTES.map((route) => `${route.method.toUpperCase()} ${route.path}`);

  // A diff here is a permission change: review it, then update the snapshot.
  it('declares the reviewed permissions, and has a row and a call for every route', () => {
    expect(
      API_ROUTES.map(({ method, path, operation, access }) => ({ method, path, operation, access })),
    ).toMatchSnapshot();
    expect(routes.filter((route) => !REST_MATRIX[route] || !REST_CALLS[route])).toEqual([]);
    expect(Object.keys(REST_MATRIX).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it.each(Object.keys(REST_MATRIX))('%s', async (route) => {
    const world = await newWorld();
    const [method] = route.split(' ');
    const actual: Partial<Record<PrincipalName, Outcome>> = {};
    for (const name of PRINCIPALS) {
      const { path, body } = await REST_CALLS[route](world);
      actual[name] = await restOutcome(callerOf(world, name).client, method, path, body);
    }
    const expected = Object.fromEntries(PRINCIPALS.map((name, index) => [name, REST_MATRIX[route][index]]));
    expect(actual).toEqual(expected);
  });
});

describe('tenant isolation', () => {
  /** Operations with an ID argument, or an input with ID fields, read from the built schema. */
  function operationsTakingIds(): string[] {
    const takesId = (type: { toString(): string }) => /\bID\b/.test(type.toString());
    const fields = { ...schema.getQueryType()!.getFields(), ...schema.getMutationType()!.getFields() };
    return Object.values(fields)
      .filter((field) =>
        field.args.some((arg) => {
          if (takesId(arg.type)) return true;
          const named = arg.type.toString().replace(/[[\]!]/g, '');
          const input = schema.getType(named);
          return (
            !!input &&
            'getFields' in input &&
            Object.values((input as GraphQLInputObjectType).getFields()).some((field) => takesId(field.type))
          );
        }),
      )
      .map((field) => field.name)
      .sort();
  }

  it("answers NOT_FOUND to every operation given another organization's ids (the otherAdmin column)", () => {
    // Filter values, not objects to look up: another organization's id simply matches nothing.
    const exempt = ['members', 'auditEvents'];
    const taking = operationsTakingIds().filter((operation) => !exempt.includes(operation));
    expect(taking.length).toBeGreaterThan(20);
    expect(taking.filter((operation) => MATRIX[operation]?.[PRINCIPALS.indexOf('otherAdmin')] !== N)).toEqual([]);
  });
});
