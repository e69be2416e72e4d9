import { TestApp, VIEWER_FIELDS, errorCode, signUp, startTestApp } from '../test/harness';
import { addAnotherAdmin } from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';

const CREATE = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { ${VIEWER_FIELDS} } }`;
const SWITCH = `mutation($id: ID!) { switchOrganization(organizationId: $id) { ${VIEWER_FIELDS} } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('createOrganization', () => {
  it('creates an organization with the caller as Admin and makes it active', async () => {
    const { client, userId, organizationId } = await signUp(app);
    const { createOrganization: viewer } = await client.ok(CREATE, { input: { name: 'Second Org' } });
    expect(viewer.organization.name).toBe('Second Org');
    expect(viewer.organization.id).not.toBe(organizationId);
    expect(viewer.role.id).toBe('admin');
    expect(viewer.organizations.map((o: { id: string }) => o.id)).toEqual([organizationId, viewer.organization.id]);
    const event = await expectAuditEvent(app.db, {
      mutation: 'createOrganization',
      organizationId: viewer.organization.id,
      category: 'SYSTEM_CONFIGURATION',
      action: 'organization.created',
      actorId: userId,
      targetId: viewer.organization.id,
    });
    expect(event.target_name).toBe('Second Org');
  });

  it.each([[''], ['x'.repeat(65)]])('refuses the name %j', async (name) => {
    const { client } = await signUp(app);
    const result = await client.request(CREATE, { input: { name } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('name');
  });

  it('needs a signed-in caller', async () => {
    expect(errorCode(await app.client().request(CREATE, { input: { name: 'Nope' } }))).toBe('UNAUTHENTICATED');
  });

  it('needs the organizations:create permission', async () => {
    const { client, userId, organizationId } = await signUp(app);
    const roleId = `no-orgs-${userId}`;
    await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES ($1, $2, 'No orgs', 'TENANT', '{profile:read}')`,
      [roleId, organizationId],
    );
    await addAnotherAdmin(app.db, organizationId);
    await app.db.query('UPDATE memberships SET role_id = $1 WHERE user_id = $2', [roleId, userId]);
    expect(errorCode(await client.request(CREATE, { input: { name: 'Nope' } }))).toBe('FORBIDDEN');
  });
});

describe('switchOrganization', () => {
  it("switches between the user's organizations", async () => {
    const { client, organizationId } = await signUp(app);
    await client.ok(CREATE, { input: { name: 'Other' } });
    const { switchOrganization: viewer } = await client.ok(SWITCH, { id: organizationId });
    expect(viewer.organization.id).toBe(organizationId);
    const again = await client.ok(`{ viewer { organization { id } } }`);
    expect(again.viewer.organization.id).toBe(organizationId);
  });

  it("answers another organization's id exactly like an id that does not exist", async () => {
    const stranger = await signUp(app);
    const { client } = await signUp(app);
    const foreign = await client.request(SWITCH, { id: stranger.organizationId });
    const missing = await client.request(SWITCH, { id: '00000000-0000-4000-8000-000000000000' });
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    expect(foreign.errors![0].message).toBe(missing.errors![0].message);
  });

  it('refuses an id that is not a UUID as not found, without leaking SQL', async () => {
    const { client } = await signUp(app);
    const result = await client.request(SWITCH, { id: "1' OR '1'='1" });
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(JSON.stringify(result.errors)).not.toMatch(/syntax|uuid|select|stack/i);
  });

  it('needs a signed-in caller', async () => {
    const { organizationId } = await signUp(app);
    expect(errorCode(await app.client().request(SWITCH, { id: organizationId }))).toBe('UNAUTHENTICATED');
  });
});
