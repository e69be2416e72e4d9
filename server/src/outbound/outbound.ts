import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import type { Config } from '../kernel/config';

/**
 * The one way the server reaches other hosts (identity providers today, webhooks tomorrow).
 * Targets are judged by the addresses they resolve to, at connection time, so a name that
 * points at the internal network (or starts to, after a first check) is refused too.
 */

export type OutboundFailure = 'FORBIDDEN_TARGET' | 'UNREACHABLE' | 'TIMEOUT' | 'TOO_LARGE' | 'BAD_RESPONSE';

/**
 * The only error outbound calls raise. It carries a fixed reason and never the remote side's
 * words (status text, body, certificate names), so it can go into a tenant's audit log.
 */
export class OutboundError extends Error {
  constructor(readonly reason: OutboundFailure) {
    super(`Outbound request failed: ${reason}`);
    this.name = 'OutboundError';
  }
}

export interface OutboundPolicy {
  allowPrivateNetwork: boolean;
  /** Until the TCP (and TLS) handshake is done. */
  connectTimeoutMs: number;
  /** From opening the connection to the last byte of the answer. */
  totalTimeoutMs: number;
  /** Everything the remote side sends on one connection, headers included. */
  maxResponseBytes: number;
}

export function outboundPolicy(config: Pick<Config, 'allowPrivateNetwork'>): OutboundPolicy {
  return {
    allowPrivateNetwork: config.allowPrivateNetwork,
    connectTimeoutMs: 3000,
    totalTimeoutMs: 5000,
    maxResponseBytes: 1024 * 1024,
  };
}

/** Ranges ALLOW_PRIVATE_NETWORK opens; every other range but public unicast stays closed. */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);
/** Cloud instance metadata: AWS's IPv6 one sits inside the unique-local range ALLOW_PRIVATE_NETWORK opens. */
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254'].map((address) => ipaddr.parse(address).toString());

function addressClass(address: string): 'public' | 'private' | 'forbidden' {
  if (!ipaddr.isValid(address)) return 'forbidden';
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) reaches the IPv4 address it embeds.
  const parsed = ipaddr.process(address);
  if (METADATA_ADDRESSES.includes(parsed.toString())) return 'forbidden';
  const range = parsed.range();
  if (range === 'unicast') return 'public';
  return PRIVATE_RANGES.has(range) ? 'private' : 'forbidden';
}

/** Plain HTTP only ever goes to the private network, and only when it is allowed. */
function addressAllowed(address: string, protocol: string, policy: OutboundPolicy): boolean {
  const kind = addressClass(address);
  if (kind === 'private') return policy.allowPrivateNetwork;
  return kind === 'public' && protocol === 'https:';
}

/** The URL if its scheme and (when it is a literal address) its host may be requested at all. */
function allowedUrl(target: string | URL, policy: OutboundPolicy): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new OutboundError('FORBIDDEN_TARGET');
  }
  const schemeAllowed = url.protocol === 'https:' || (url.protocol === 'http:' && policy.allowPrivateNetwork);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!schemeAllowed || (net.isIP(host) && !addressAllowed(host, url.protocol, policy))) {
    throw new OutboundError('FORBIDDEN_TARGET');
  }
  return url;
}

type LookupCallback = (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that refuses a name when any of its addresses is not allowed (no picking the harmless one). */
function checkedLookup(protocol: string, policy: OutboundPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (!addresses.length || addresses.some(({ address }) => !addressAllowed(address, protocol, policy))) {
        return callback(new OutboundError('FORBIDDEN_TARGET'), '');
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Why the agent cut a connection short, for callers that only get Node's generic "socket hang up". */
const cutShort = new WeakMap<Duplex, OutboundFailure>();

function limited(socket: Duplex, policy: OutboundPolicy, connectedEvent: 'connect' | 'secureConnect'): Duplex {
  const cut = (reason: OutboundFailure) => {
    cutShort.set(socket, reason);
    socket.destroy(new OutboundError(reason));
  };
  const connectTimer = setTimeout(() => cut('TIMEOUT'), policy.connectTimeoutMs);
  const totalTimer = setTimeout(() => cut('TIMEOUT'), policy.totalTimeoutMs);
  socket.once(connectedEvent, () => clearTimeout(connectTimer));
  let received = 0;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > policy.maxResponseBytes) cut('TOO_LARGE');
  });
  socket.once('close', () => {
    clearTimeout(connectTimer);
    clearTimeout(totalTimer);
  });
  return socket;
}

// request-filtering-agent checks literal addresses and every resolved one (after our stricter
// lookup) when the socket connects; these subclasses add the time and size limits.
class OutboundHttpsAgent extends RequestFilteringHttpsAgent {
  constructor(private readonly policy: OutboundPolicy) {
    super({ allowPrivateIPAddress: policy.allowPrivateNetwork, lookup: checkedLookup('https:', policy) });
  }

  override createConnection(...args: Parameters<RequestFilteringHttpsAgent['createConnection']>) {
    return limited(super.createConnection(...args), this.policy, 'secureConnect');
  }
}

class OutboundHttpAgent extends RequestFilteringHttpAgent {
  constructor(private readonly policy: OutboundPolicy) {
    super({ allowPrivateIPAddress: policy.allowPrivateNetwork, lookup: checkedLookup('http:', policy) });
  }

  override createConnection(...args: Parameters<RequestFilteringHttpAgent['createConnection']>) {
    return limited(super.createConnection(...args), this.policy, 'connect');
  }
}

function agentFor(url: URL, policy: OutboundPolicy): http.Agent {
  return url.protocol === 'https:' ? new OutboundHttpsAgent(policy) : new OutboundHttpAgent(policy);
}

/**
 * openid-client's per-request hook (`custom.http_options`): its discovery-named endpoints
 * (token, userinfo, JWKS) go through the same checks and limits as our own requests.
 */
export function outboundHttpOptions(policy: OutboundPolicy) {
  return (target: URL) => ({ agent: agentFor(allowedUrl(target, policy), policy), timeout: policy.totalTimeoutMs });
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request, no redirects followed (a redirect is an answer like any other). */
export async function outboundRequest(
  target: string,
  policy: OutboundPolicy,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<OutboundResponse> {
  const url = allowedUrl(target, policy);
  const request = (url.protocol === 'https:' ? https : http).request(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    agent: agentFor(url, policy),
  });
  let socket: Duplex | undefined;
  request.once('socket', (opened) => (socket = opened));
  const failed = new Promise<never>((_, reject) => request.on('error', reject));
  failed.catch(() => {});
  request.end(init.body);
  try {
    const response = await Promise.race([
      new Promise<http.IncomingMessage>((resolve) => request.once('response', resolve)),
      failed,
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    return { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) };
  } catch (error) {
    if (error instanceof OutboundError) throw error;
    throw new OutboundError((socket && cutShort.get(socket)) ?? 'UNREACHABLE');
  } finally {
    request.destroy();
  }
}

/** A JSON object answered with 200; anything else is BAD_RESPONSE. */
export async function fetchJson(target: string, policy: OutboundPolicy): Promise<Record<string, unknown>> {
  const response = await outboundRequest(target, policy, { headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new OutboundError('BAD_RESPONSE');
  let json: unknown;
  try {
    json = JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new OutboundError('BAD_RESPONSE');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new OutboundError('BAD_RESPONSE');
  return json as Record<string, unknown>;
}

/**
 * Up-front check of a URL the server will fetch later (a configured issuer): the scheme, and
 * every address its host resolves to now. The connection-time checks still apply later; a
 * name that does not resolve yet cannot be judged here and is left to them.
 */
export async function assertAllowedTarget(target: string, policy: OutboundPolicy): Promise<void> {
  const url = allowedUrl(target, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) return;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    dns.promises.lookup(host, { all: true }).catch(() => null),
    new Promise<null>((resolve) => (timer = setTimeout(resolve, policy.connectTimeoutMs, null))),
  ]).finally(() => clearTimeout(timer));
  if (!addresses) {
    // Plain HTTP is only for the private network, which a name must be seen to resolve into.
    if (url.protocol === 'http:') throw new OutboundError('FORBIDDEN_TARGET');
    return;
  }
  if (!addresses.length || addresses.some(({ address }) => !addressAllowed(address, url.protocol, policy))) {
    throw new OutboundError('FORBIDDEN_TARGET');
  }
}
