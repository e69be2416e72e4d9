import type { Express } from 'express';
import { TestApp, type SignedUp, signUp, startTestApp } from '../test/harness';
import { addMember } from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';
import { totpCode } from '../two-factor/totp';
import { createDataSource } from '../db/data-source';
import { loadConfig } from '../kernel/config';
import { createHttpServer } from './http-server';
import { API_ROUTES, undeclaredRoutes } from './routes';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16, 1)]);

function rest(person: SignedUp | null, method: string, path: string, body?: Buffer) {
  return fetch(`${app.url}${path}`, {
    method,
    headers: person?.client.cookie ? { cookie: person.client.cookie } : {},
    body,
    redirect: 'manual',
  });
}

async function answer(response: Response): Promise<[number, string | undefined]> {
  const json = await response.json();
  return [response.status, json.errors?.[0]?.extensions?.code];
}

describe('route guard', () => {
  /** The Express app of a real server, as built for production: every route it registers. */
  async function withExpressApp(use: (express: Express) => void): Promise<void> {
    const db = createDataSource(process.env.DATABASE_URL!);
    await db.initialize();
    const http = await createHttpServer(db, {
      ...loadConfig(),
      bcryptCost: 4,
      // Its worker would take the jobs of the other tests on this database.
      jobs: false,
    });
    try {
      use(http.server.listeners('request')[0] as Express);
    } finally {
      await http.close();
      await db.destroy();
    }
  }

  it('serves every route through the guard, or declares what protects it instead', async () => {
    await withExpressApp((express) => {
      const stack = (express as unknown as { router: { stack: { route?: { path: string } }[] } }).router.stack;
      const paths = stack.flatMap((layer) => (layer.route ? [layer.route.path] : []));
      expect(paths).toEqual(expect.arrayContaining(API_ROUTES.map((route) => route.path)));
      expect(undeclaredRoutes(express)).toEqual([]);
    });
  });

  it('finds a route added beside the registry, or a declared one registered without its guard', async () => {
    await withExpressApp((express) => {
      express.get('/api/rogue', (_req, res) => res.end());
      express.put('/api/organization/logo', (_req, res) => res.end());
      express.use('/api/raw', (_req, res) => res.end());
      expect(undeclaredRoutes(express)).toEqual(['GET /api/rogue', 'PUT /api/organization/logo', 'USE /api/raw']);
    });
  });
});

describe('REST routes behind the guard', () => {
  it('hold a member who must set up 2FA to setting it up, as GraphQL does', async () => {
    const admin = await signUp(app);
    const secondAdmin = await addMember(app, admin, 'admin');
    const { startTwoFactorEnrollment } = await admin.client.ok('mutation { startTwoFactorEnrollment { secret } }');
    await admin.client.ok('mutation($code: String!) { confirmTwoFactorEnrollment(code: $code) }', {
      code: totpCode(startTwoFactorEnrollment.secret),
    });
    await admin.client.ok(
      'mutation { updateOrganizationSettings(input: { security: { requireTwoFactor: true } }) { general { name } } }',
    );
    expect((await rest(admin, 'PUT', '/api/organization/logo', PNG)).status).toBe(204);

    expect(await answer(await rest(secondAdmin, 'GET', '/api/audit-events/export?format=csv'))).toEqual([
      403,
      'TWO_FACTOR_REQUIRED',
    ]);
    expect(await answer(await rest(secondAdmin, 'PUT', '/api/organization/logo', PNG))).toEqual([
      403,
      'TWO_FACTOR_REQUIRED',
    ]);
    expect(await answer(await rest(secondAdmin, 'DELETE', '/api/organization/logo'))).toEqual([
      403,
      'TWO_FACTOR_REQUIRED',
    ]);
    // The app shell around the set-up screen still shows the organization's logo.
    expect((await rest(secondAdmin, 'GET', `/api/organizations/${admin.organizationId}/logo`)).status).toBe(200);
    const [{ count }] = await app.db.query(
      `SELECT count(*)::int FROM audit_events WHERE organization_id = $1 AND action = 'auditLog.exported'`,
      [admin.organizationId],
    );
    expect(count).toBe(0);
  });

  it('record refusals for want of a permission in the audit log', async () => {
    const admin = await signUp(app);
    const consumer = await addMember(app, admin, 'consumer');
    expect(await answer(await rest(consumer, 'GET', '/api/audit-events/export'))).toEqual([403, 'FORBIDDEN']);
    const exportDenial = await expectAuditEvent(app.db, {
      mutation: 'exportAuditEvents',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'authorization.denied',
      actorId: consumer.userId,
      targetId: 'exportAuditEvents',
      outcome: 'FAILURE',
    });
    expect(exportDenial.failure_reason).toBe('exportAuditEvents needs the auditLog:read permission');
    expect(await answer(await rest(consumer, 'PUT', '/api/organization/logo', PNG))).toEqual([403, 'FORBIDDEN']);
    await expectAuditEvent(app.db, {
      mutation: 'uploadOrganizationLogo',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'authorization.denied',
      actorId: consumer.userId,
      targetId: 'uploadOrganizationLogo',
      outcome: 'FAILURE',
    });
  });

  it('refuse an unknown export format or parameter before recording an export', async () => {
    const admin = await signUp(app);
    const exported = async () =>
      (
        await app.db.query(
          `SELECT count(*)::int FROM audit_events WHERE organization_id = $1 AND action = 'auditLog.exported'`,
          [admin.organizationId],
        )
      )[0].count;
    for (const query of [
      'format=__proto__',
      'format=constructor',
      'format=toString',
      'format=pdf',
      'format=csv&format=ndjson',
      'format=csv&unknownFilter=1',
      'format=csv&actorId=a&actorId=b',
      'format=csv&afterSequence=abc',
    ]) {
      const response = await rest(admin, 'GET', `/api/audit-events/export?${query}`);
      expect({ query, answer: await answer(response) }).toEqual({ query, answer: [400, 'BAD_USER_INPUT'] });
    }
    expect(await exported()).toBe(0);
    expect((await rest(admin, 'GET', '/api/audit-events/export?format=ndjson')).status).toBe(200);
    expect(await exported()).toBe(1);
  });
});
