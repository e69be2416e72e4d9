import { TestApp, signUp, startTestApp } from '../test/harness';
import { addMember } from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';
import { imageTypeOf } from './organization-logo';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const GIF = Buffer.concat([Buffer.from('GIF89a', 'ascii'), Buffer.alloc(64, 3)]);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type Person = Awaited<ReturnType<typeof signUp>>;

function upload(person: Person, body: Buffer, contentType = 'image/png') {
  return fetch(`${app.url}/api/organization/logo`, {
    method: 'PUT',
    headers: { cookie: person.client.cookie!, 'content-type': contentType },
    body,
  });
}

async function logoUrl(person: Person): Promise<string | null> {
  return (await person.client.ok(`{ viewer { organization { logoUrl } } }`)).viewer.organization.logoUrl;
}

describe('organization logo', () => {
  it('recognises PNG and JPEG by content, not by name or declared type', () => {
    expect([imageTypeOf(PNG), imageTypeOf(JPEG), imageTypeOf(GIF)]).toEqual(['image/png', 'image/jpeg', null]);
  });

  it('stores a PNG or JPEG, shows it to members only, and records the change', async () => {
    const admin = await signUp(app);
    expect(await logoUrl(admin)).toBeNull();
    expect((await upload(admin, JPEG, 'application/octet-stream')).status).toBe(204);
    await expectAuditEvent(app.db, {
      mutation: 'organizationLogoUpload',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'settings.logoUpdated',
      actorId: admin.userId,
      targetId: admin.organizationId,
    });
    const url = await logoUrl(admin);
    expect(url).toMatch(new RegExp(`^/api/organizations/${admin.organizationId}/logo\\?v=\\d+$`));

    const member = await addMember(app, admin);
    const seen = await fetch(`${app.url}${url}`, { headers: { cookie: member.client.cookie! } });
    expect([seen.status, seen.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    expect(Buffer.from(await seen.arrayBuffer())).toEqual(JPEG);

    const outsider = await signUp(app);
    expect((await fetch(`${app.url}${url}`, { headers: { cookie: outsider.client.cookie! } })).status).toBe(404);
    expect((await fetch(`${app.url}${url}`)).status).toBe(401);
  });

  it('refuses other formats, files over 2 MB and members without settings:manage, changing nothing', async () => {
    const admin = await signUp(app);
    const gif = await upload(admin, GIF, 'image/png');
    expect([gif.status, (await gif.json()).errors[0].extensions]).toEqual([
      400,
      { code: 'BAD_USER_INPUT', field: 'logo' },
    ]);
    const huge = await upload(admin, Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]));
    expect([413, 400]).toContain(huge.status);
    expect((await huge.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const consumer = await addMember(app, admin);
    expect((await upload(consumer, PNG)).status).toBe(403);
    expect(await logoUrl(admin)).toBeNull();

    expect((await upload(admin, PNG)).status).toBe(204);
    const removed = await fetch(`${app.url}/api/organization/logo`, {
      method: 'DELETE',
      headers: { cookie: admin.client.cookie! },
    });
    expect(removed.status).toBe(204);
    expect(await logoUrl(admin)).toBeNull();
  });
});
