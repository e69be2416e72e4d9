import { TestApp, TestClient, signUp, startTestApp } from '../test/harness';
import { expectAuditEvent } from '../test/audit';
import { SET_WORKSPACE_ROLE, addMember, createGroup, createWorkspace } from '../test/access-fixtures';

const ADD_TO_GROUP = `mutation($g: ID!, $p: [ID!]!, $e: DateTime) { addGroupMembers(groupId: $g, principalIds: $p, expiresAt: $e) { id } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function exportCsv(client: TestClient, query: string) {
  const response = await fetch(`${app.url}/api/access-review/export?${query}`, {
    headers: { cookie: client.cookie!, 'x-forwarded-for': client.ip },
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The CSV as objects, by header. */
function rows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\r\n');
  const names = header.split(',');
  return lines.map((line) => {
    const cells = [...line.matchAll(/"((?:[^"]|"")*)"|(?<=^|,)(?=,|$)/g)].map((m) => (m[1] ?? '').replace(/""/g, '"'));
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
  });
}

describe('GET /api/access-review/export', () => {
  it('lists every principal with each permission and its path, for the organization or one workspace', async () => {
    const admin = await signUp(app);
    const workspaceId = await createWorkspace(admin.client, 'Ledger');
    const otherWorkspace = await createWorkspace(admin.client, 'Other');
    const member = await addMember(app, admin, 'consumer');
    const groupId = await createGroup(admin.client, 'Finance');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await admin.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: groupId, roleId: 'contributor' } });
    await admin.client.ok(ADD_TO_GROUP, { g: groupId, p: [member.userId], e: until });

    const whole = await exportCsv(admin.client, 'format=csv');
    expect(whole.status).toBe(200);
    expect(whole.type).toMatch(/text\/csv/);
    const all = rows(whole.text);
    expect(all).toContainEqual(
      expect.objectContaining({
        principalId: member.userId,
        permission: 'members:read',
        pathKind: 'TENANT_ROLE',
        role: 'Consumer',
        workspaceId: '',
      }),
    );
    expect(all).toContainEqual(
      expect.objectContaining({
        principalId: member.userId,
        permission: 'workspace:use',
        pathKind: 'GROUP_WORKSPACE_ROLE',
        group: 'Finance',
        workspaceName: 'Ledger',
        expiresAt: until,
      }),
    );
    expect(all).toContainEqual(
      expect.objectContaining({
        principalId: admin.userId,
        permission: 'workspace:delete',
        pathKind: 'ADMIN_OWNER',
        workspaceId: otherWorkspace,
      }),
    );
    await expectAuditEvent(app.db, {
      mutation: 'exportAccessReview',
      organizationId: admin.organizationId,
      category: 'USER_ACTIONS',
      action: 'accessReview.exported',
      actorId: admin.userId,
      targetId: admin.organizationId,
    });

    const one = rows((await exportCsv(admin.client, `format=csv&workspaceId=${workspaceId}`)).text);
    expect(new Set(one.map((row) => row.workspaceId))).toEqual(new Set([workspaceId]));
  });

  it('needs members:read and auditLog:read, csv, and a workspace the caller can see', async () => {
    const admin = await signUp(app);
    const consumer = await addMember(app, admin, 'consumer');
    const denied = await exportCsv(consumer.client, 'format=csv');
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.text).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await exportCsv(admin.client, 'format=ndjson')).status).toBe(400);
    const other = await signUp(app);
    const foreign = await createWorkspace(other.client);
    expect((await exportCsv(admin.client, `format=csv&workspaceId=${foreign}`)).status).toBe(404);
  });
});
