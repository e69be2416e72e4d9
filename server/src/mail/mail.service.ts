import nodemailer from 'nodemailer';
import type { DataSource } from 'typeorm';
import { devOutboxEnabled, type Config } from '../kernel/config';
import { logger } from '../kernel/logger';
import { databaseOutage } from '../db/availability';
import type { Transaction } from '../db/data-source';
import type { NotificationListener } from '../db/notifications';

export interface Email {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export const EMAIL_CHANNEL = 'gatehouse_email';

/** Queues an email in the caller's transaction; the commit's NOTIFY wakes a dispatcher to send it. */
export async function queueEmail(tx: Transaction, email: Email): Promise<void> {
  await tx.query('INSERT INTO outbound_emails (recipient, subject, text_body, html_body) VALUES ($1, $2, $3, $4)', [
    email.to,
    email.subject,
    email.text,
    email.html ?? null,
  ]);
  await tx.query(`NOTIFY ${EMAIL_CHANNEL}`);
}

const MAX_ATTEMPTS = 5;
const BATCH_SIZE = 20;

type Transport = ReturnType<typeof nodemailer.createTransport>;
let transport: { url: string; instance: Transport } | null = null;

function transportFor(url: string): Transport {
  if (transport?.url !== url) transport = { url, instance: nodemailer.createTransport(url) };
  return transport.instance;
}

interface PendingEmail {
  id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string | null;
}

/** How long the dev outbox keeps a sent email's body (its links) readable: as long as a reset link lives. */
export const DEV_OUTBOX_RETENTION_MINUTES = 60;

/**
 * Sends queued emails through SMTP_URL, or, without it, writes them to the log. Bodies carry
 * reset and invitation links, so they are erased from the table in the transaction that marks
 * the email sent (or given up); only the dev outbox (DEV_OUTBOX=true) keeps them, for
 * DEV_OUTBOX_RETENTION_MINUTES, after which any instance's next run erases them. Rows are
 * claimed with SKIP LOCKED so several instances never send the same email twice.
 */
export async function deliverPendingEmails(db: DataSource, config: Config): Promise<number> {
  const keepBodies = devOutboxEnabled(config);
  await db.query(
    `UPDATE outbound_emails SET text_body = NULL, html_body = NULL
      WHERE sent_at < now() - make_interval(mins => $1) AND text_body IS NOT NULL`,
    [DEV_OUTBOX_RETENTION_MINUTES],
  );
  let delivered = 0;
  for (;;) {
    const sent = await db.transaction(async (tx) => {
      const batch: PendingEmail[] = await tx.query(
        `SELECT id, recipient, subject, text_body, html_body FROM outbound_emails
         WHERE sent_at IS NULL AND attempts < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [MAX_ATTEMPTS, BATCH_SIZE],
      );
      for (const email of batch) {
        try {
          if (config.smtpUrl) {
            await transportFor(config.smtpUrl).sendMail({
              from: config.mailFrom,
              to: email.recipient,
              subject: email.subject,
              text: email.text_body,
              html: email.html_body ?? undefined,
            });
          } else {
            logger.info({ to: email.recipient, subject: email.subject, body: email.text_body }, 'email (no SMTP_URL)');
          }
          await tx.query(
            `UPDATE outbound_emails SET sent_at = now(), attempts = attempts + 1,
               text_body = CASE WHEN $2 THEN text_body END, html_body = CASE WHEN $2 THEN html_body END
             WHERE id = $1`,
            [email.id, keepBodies],
          );
        } catch (error) {
          logger.warn({ err: error, emailId: email.id }, 'email delivery failed; will retry');
          await tx.query(
            `UPDATE outbound_emails SET attempts = attempts + 1, last_error = $2,
               text_body = CASE WHEN attempts + 1 < $3 THEN text_body END,
               html_body = CASE WHEN attempts + 1 < $3 THEN html_body END
             WHERE id = $1`,
            [email.id, String((error as Error).message).slice(0, 500), MAX_ATTEMPTS],
          );
        }
      }
      return batch.length;
    });
    delivered += sent;
    if (sent < BATCH_SIZE) return delivered;
  }
}

export interface DevOutboxEntry {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  createdAt: Date;
}

export async function readDevOutbox(db: DataSource, recipient?: string): Promise<DevOutboxEntry[]> {
  return db.query(
    `SELECT id, recipient AS "to", subject, text_body AS "text", html_body AS "html", created_at AS "createdAt"
     FROM outbound_emails WHERE text_body IS NOT NULL AND ($1::text IS NULL OR recipient = $1)
     ORDER BY created_at DESC LIMIT 50`,
    [recipient ?? null],
  );
}

const RETRY_INTERVAL_MS = 30_000;

/** Delivers queued emails when notified, and retries failed ones periodically. */
export function startEmailDispatcher(
  db: DataSource,
  config: Config,
  listener: Pick<NotificationListener, 'on' | 'onReconnect'>,
): () => void {
  let running: Promise<void> | null = null;
  let again = false;
  const deliver = () => {
    if (running) {
      again = true;
      return;
    }
    running = deliverPendingEmails(db, config)
      .then(() => undefined)
      .catch((error) => {
        if (!databaseOutage.note(error)) logger.error({ err: error }, 'email dispatcher failed');
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          deliver();
        }
      });
  };
  listener.on(EMAIL_CHANNEL, deliver);
  // Emails queued while the listener was away sent their NOTIFY to nobody.
  listener.onReconnect(deliver);
  const timer = setInterval(deliver, RETRY_INTERVAL_MS);
  timer.unref();
  deliver();
  return () => clearInterval(timer);
}
