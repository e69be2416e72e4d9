import path from 'node:path';
import { TestApp, startTestApp } from '../test/harness';
import { PROJECT_ROOT } from './config';

const metrics = (url: string, headers: Record<string, string> = {}) => fetch(`${url}/metrics`, { headers });

describe('metrics', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('labels series by the schema operation, never by a name the client makes up', async () => {
    const invented = `Invented${Date.now()}`;
    await app.client().ok(`query ${invented} { viewer { user { id } } }`);
    await app.client().ok(`query ${invented}Again { __typename }`);
    await app.client().request(`query ${invented}Broken { noSuchField }`);
    const text = await (await metrics(app.url)).text();
    expect(text).not.toContain(invented);
    expect(text).toMatch(/gatehouse_graphql_operations_total\{operation="viewer",outcome="success"\} [1-9]/);
    expect(text).toMatch(/gatehouse_graphql_operations_total\{operation="other",outcome="success"\} [1-9]/);
    expect(text).toMatch(/gatehouse_graphql_operations_total\{operation="other",outcome="error"\} [1-9]/);
  });

  it('answers only this machine by default, not a request relayed by a proxy', async () => {
    expect((await metrics(app.url)).status).toBe(200);
    const relayed = await metrics(app.url, { 'x-forwarded-for': '203.0.113.7' });
    expect(relayed.status).toBe(404);
    expect(await relayed.text()).not.toContain('gatehouse_');
  });

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const guarded = await startTestApp({ metricsToken: 'scrape-secret-123' });
    try {
      expect((await metrics(guarded.url)).status).toBe(401);
      expect((await metrics(guarded.url, { authorization: 'Bearer scrape-secret-12' })).status).toBe(401);
      const scraped = await metrics(guarded.url, {
        authorization: 'Bearer scrape-secret-123',
        'x-forwarded-for': '203.0.113.7',
      });
      expect([scraped.status, (await scraped.text()).includes('gatehouse_http_requests_total')]).toEqual([200, true]);
    } finally {
      await guarded.close();
    }
  });

  it('is served only on METRICS_PORT when that is set', async () => {
    const { freePort } = require(path.join(PROJECT_ROOT, 'scripts', 'free-port.js'));
    const metricsPort: number = await freePort();
    const separate = await startTestApp({ metricsPort });
    try {
      expect(await (await metrics(separate.url)).text()).not.toContain('gatehouse_http_requests_total');
      const scraped = await metrics(`http://127.0.0.1:${metricsPort}`);
      expect([scraped.status, (await scraped.text()).includes('gatehouse_http_requests_total')]).toEqual([200, true]);
    } finally {
      await separate.close();
    }
    await expect(metrics(`http://127.0.0.1:${metricsPort}`)).rejects.toThrow();
  });
});
