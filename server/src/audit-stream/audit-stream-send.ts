import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Config } from '../kernel/config';
import { logger } from '../kernel/logger';
import type { AuditEventEntity } from '../audit-log/audit-event.entity';
import { secretBoxFor } from '../auth/secret-box';
import { OutboundError, outboundPolicy, outboundRequest } from '../outbound/outbound';
import type { AuditStreamEntity } from './audit-stream.entity';

/** What a receiver gets for one event: everything it needs to check order and completeness. */
export interface StreamedEvent {
  type: 'audit.event' | 'audit.test';
  timestamp: string;
  data: Record<string, unknown>;
}

export function streamedEvent(event: AuditEventEntity): StreamedEvent {
  return {
    type: 'audit.event',
    timestamp: event.occurredAt.toISOString(),
    data: {
      id: event.id,
      organizationId: event.organizationId,
      sequence: event.sequence,
      previousHash: event.previousHash,
      hash: event.hash,
      occurredAt: event.occurredAt.toISOString(),
      category: event.category,
      action: event.action,
      outcome: event.outcome,
      failureReason: event.failureReason,
      actor: { type: event.actorType, id: event.actorId, name: event.actorName },
      apiKeyId: event.apiKeyId,
      target: event.targetType ? { type: event.targetType, id: event.targetId, name: event.targetName } : null,
      workspaceId: event.workspaceId,
      ip: event.ip,
      userAgent: event.userAgent,
      requestId: event.requestId,
      changes: event.changes,
    },
  };
}

export interface SendOutcome {
  success: boolean;
  latencyMs: number;
  responseCode: number | null;
  /** HTTP_<status> or the outbound client's fixed reason: never the receiver's words. */
  errorCode: string | null;
}

function signedRequest(
  config: Config,
  stream: Pick<AuditStreamEntity, 'kind' | 'sealedSecret' | 'sealedHeaders'>,
  messageId: string,
  events: StreamedEvent[],
) {
  const box = secretBoxFor(config);
  const body =
    stream.kind === 'WEBHOOK'
      ? JSON.stringify(events[0])
      : events.map((event) => JSON.stringify(event)).join('\n') + '\n';
  const custom: Record<string, string> = stream.sealedHeaders ? JSON.parse(box.open(stream.sealedHeaders)) : {};
  const timestamp = new Date();
  const headers: Record<string, string> = {
    ...custom,
    'content-type': stream.kind === 'WEBHOOK' ? 'application/json' : 'application/x-ndjson',
    'user-agent': 'Gatehouse-Audit-Stream/1',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(box.open(stream.sealedSecret)).sign(messageId, timestamp, body),
  };
  return { headers, body };
}

/**
 * One request to the stream's receiver through the SSRF-safe outbound client. A WEBHOOK body is
 * one JSON event, a BATCH body NDJSON; both carry Standard Webhooks headers, so a receiver can
 * verify either. `messageId` is stable across redeliveries of the same events (receivers dedupe on it).
 */
export async function sendToStream(
  config: Config,
  stream: Pick<AuditStreamEntity, 'kind' | 'url' | 'sealedSecret' | 'sealedHeaders'>,
  messageId: string,
  events: StreamedEvent[],
): Promise<SendOutcome> {
  let headers: Record<string, string>;
  let body: string;
  try {
    ({ headers, body } = signedRequest(config, stream, messageId, events));
  } catch (error) {
    // A secret that no longer opens (SECRETS_KEY changed) fails this stream only, not every stream after it.
    logger.error({ err: error }, 'audit stream secret could not be opened');
    return { success: false, latencyMs: 0, responseCode: null, errorCode: 'SECRET_UNREADABLE' };
  }
  const started = Date.now();
  try {
    const response = await outboundRequest(stream.url, outboundPolicy(config), { method: 'POST', headers, body });
    const success = response.status >= 200 && response.status < 300;
    return {
      success,
      latencyMs: Date.now() - started,
      responseCode: response.status,
      errorCode: success ? null : `HTTP_${response.status}`,
    };
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    return { success: false, latencyMs: Date.now() - started, responseCode: null, errorCode: error.reason };
  }
}

export function testEvent(stream: Pick<AuditStreamEntity, 'id' | 'organizationId'>): {
  id: string;
  event: StreamedEvent;
} {
  return {
    id: `test_${randomUUID()}`,
    event: {
      type: 'audit.test',
      timestamp: new Date().toISOString(),
      data: { streamId: stream.id, organizationId: stream.organizationId, message: 'Gatehouse audit stream test' },
    },
  };
}
