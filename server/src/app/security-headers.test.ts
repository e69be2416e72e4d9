import { TestApp, startTestApp } from '../test/harness';

describe('security headers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('keep the app shell out of frames, pin content types and sources, and send no Referer', async () => {
    for (const path of ['/', '/settings/profile', '/graphql', '/api/audit-events/export']) {
      const response = await fetch(`${app.url}${path}`, { redirect: 'manual' });
      const headers = Object.fromEntries(response.headers);
      expect({ path, frame: headers['x-frame-options'], sniff: headers['x-content-type-options'] }).toEqual({
        path,
        frame: 'DENY',
        sniff: 'nosniff',
      });
      expect(headers['referrer-policy']).toBe('no-referrer');
      const csp = headers['content-security-policy'] ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'self'");
      expect(headers['strict-transport-security']).toBeUndefined();
    }
    const shell = await fetch(`${app.url}/`);
    expect(await shell.text()).toContain('<div id="root">');
  });

  it('add HSTS only when the public URL is https', async () => {
    const https = await startTestApp({ publicUrl: 'https://gatehouse.example.test' });
    try {
      const headers = (await fetch(`${https.url}/healthz`)).headers;
      expect(headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
      expect(headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    } finally {
      await https.close();
    }
  });
});
