import http from 'node:http';
import net from 'node:net';
import { Issuer, custom } from 'openid-client';
import { OutboundError, type OutboundPolicy, fetchJson, outboundHttpOptions, outboundPolicy } from './outbound';

const STRICT = outboundPolicy({ allowPrivateNetwork: false });
const ON_PREMISES = outboundPolicy({ allowPrivateNetwork: true });

interface LocalServer {
  url: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/** A real server on loopback that counts the connections it gets, whatever it answers. */
async function localServer(handler: http.RequestListener | null): Promise<LocalServer> {
  const server = handler ? http.createServer(handler) : net.createServer(() => {});
  const state = { connections: 0 };
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    state.connections++;
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function failure(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundError);
  return error as OutboundError;
}

/** What openid-client does for a token, userinfo or JWKS endpoint named by a discovery document. */
function userinfoThroughOpenIdClient(userinfoEndpoint: string, policy: OutboundPolicy) {
  const issuer = new Issuer({ issuer: 'https://idp.example.test', userinfo_endpoint: userinfoEndpoint });
  const client = new issuer.Client({ client_id: 'gatehouse', client_secret: 'secret' });
  client[custom.http_options] = outboundHttpOptions(policy);
  return client.userinfo('access-token');
}

let target: LocalServer;
beforeAll(async () => {
  target = await localServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"sub":"s"}'));
});
afterAll(() => target.close());

describe('the outbound client', () => {
  it('refuses every private, loopback, link-local, CGNAT, multicast and metadata target, after DNS too, without connecting', async () => {
    const targets = [
      `http://127.0.0.1:${target.port}/`,
      `https://127.0.0.1:${target.port}/`,
      `https://localhost:${target.port}/`,
      `https://[::ffff:127.0.0.1]:${target.port}/`,
      `https://[::ffff:7f00:1]:${target.port}/`,
      `https://[::1]:${target.port}/`,
      'https://10.0.0.1/',
      'https://192.168.1.1/',
      'https://100.64.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fd00:ec2::254]/',
      'https://[fe80::1]/',
      'https://224.0.0.1/',
      'https://0.0.0.0/',
      'ftp://example.com/',
    ];
    for (const url of targets) {
      expect([url, (await failure(fetchJson(url, STRICT))).reason]).toEqual([url, 'FORBIDDEN_TARGET']);
    }
    // The endpoints a discovery document names go through the same checks: here a name
    // that resolves to loopback, which only the connection-time lookup can catch.
    const error = await failure(userinfoThroughOpenIdClient(`https://localhost:${target.port}/userinfo`, STRICT));
    expect(error.reason).toBe('FORBIDDEN_TARGET');
    expect(target.connections).toBe(0);
  });

  it('with ALLOW_PRIVATE_NETWORK reaches the private network (plain HTTP too), never metadata or link-local', async () => {
    expect(await fetchJson(`${target.url}/`, ON_PREMISES)).toEqual({ sub: 's' });
    expect(await fetchJson(`http://localhost:${target.port}/`, ON_PREMISES)).toEqual({ sub: 's' });
    expect(await userinfoThroughOpenIdClient(`http://localhost:${target.port}/userinfo`, ON_PREMISES)).toEqual({
      sub: 's',
    });
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'https://[fd00:ec2::254]/',
      'https://[::ffff:169.254.169.254]/',
      'http://[fe80::1]/',
      // Plain HTTP only ever goes to the private network.
      'http://93.184.216.34/',
    ]) {
      expect([url, (await failure(fetchJson(url, ON_PREMISES))).reason]).toEqual([url, 'FORBIDDEN_TARGET']);
    }
  });

  it('cuts an answer larger than the cap', async () => {
    const huge = await localServer((_, res) => res.end(Buffer.alloc(2 * ON_PREMISES.maxResponseBytes, 'a')));
    try {
      expect((await failure(fetchJson(huge.url, ON_PREMISES))).reason).toBe('TOO_LARGE');
      await expect(userinfoThroughOpenIdClient(`${huge.url}/userinfo`, ON_PREMISES)).rejects.toThrow();
    } finally {
      await huge.close();
    }
  });

  it('gives up on a server that does not finish the handshake or the answer in time', async () => {
    const policy = { ...ON_PREMISES, connectTimeoutMs: 300, totalTimeoutMs: 800 };
    const slow = await localServer((_, res) => {
      res.writeHead(200);
      res.write('{');
    });
    // Accepts TCP connections but never speaks TLS.
    const silent = await localServer(null);
    try {
      let started = Date.now();
      expect((await failure(fetchJson(slow.url, policy))).reason).toBe('TIMEOUT');
      expect(Date.now() - started).toBeLessThan(3000);
      started = Date.now();
      expect(
        (await failure(fetchJson(`https://127.0.0.1:${silent.port}/`, { ...policy, totalTimeoutMs: 10_000 }))).reason,
      ).toBe('TIMEOUT');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await slow.close();
      await silent.close();
    }
  });

  it('follows no redirect and never repeats what the remote side said', async () => {
    const elsewhere = await localServer((_, res) => res.end('{}'));
    const redirecting = await localServer((req, res) => {
      if (req.url === '/moved') res.writeHead(302, { location: `${elsewhere.url}/` }).end();
      else res.writeHead(500, 'internal-secret-status').end('internal-secret-body');
    });
    try {
      const moved = await failure(fetchJson(`${redirecting.url}/moved`, ON_PREMISES));
      expect(moved.reason).toBe('BAD_RESPONSE');
      expect(elsewhere.connections).toBe(0);
      const broken = await failure(fetchJson(`${redirecting.url}/broken`, ON_PREMISES));
      expect(broken.message).toBe('Outbound request failed: BAD_RESPONSE');
      expect(JSON.stringify({ ...broken, message: broken.message })).not.toContain('internal-secret');
    } finally {
      await elsewhere.close();
      await redirecting.close();
    }
  });
});
