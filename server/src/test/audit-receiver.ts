import http from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered with. */
  status: number;
}

export interface AuditReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Answers the next requests with these statuses, then 200 again. */
  failNext(...statuses: number[]): void;
  /** Delays every answer, to keep a delivery in flight. */
  delayMs: number;
  close(): Promise<void>;
}

/** A real HTTP receiver on a loopback port, for audit stream deliveries (needs ALLOW_PRIVATE_NETWORK). */
export async function startAuditReceiver(): Promise<AuditReceiver> {
  const queued: number[] = [];
  const receiver: Omit<AuditReceiver, 'url' | 'close'> = {
    requests: [],
    failNext: (...statuses) => queued.push(...statuses),
    delayMs: 0,
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = queued.shift() ?? 200;
      receiver.requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      setTimeout(
        () => response.writeHead(status).end(status === 200 ? 'ok' : 'receiver says: internal details'),
        receiver.delayMs,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/audit`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as AuditReceiver;
}

/** What a receiver does first: checks the Standard Webhooks signature (throws if it does not verify) and parses the body. */
export function verifyDelivery<T = unknown>(secret: string, request: ReceivedRequest): T {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as T;
}
