import type { DataSource } from 'typeorm';
import { record } from '../audit-log/audit-log.service';
import type { AuthState } from '../auth/auth-state';
import type { Config } from '../kernel/config';
import { createContext } from '../kernel/context';

/** An address refusal in the key owner's audit log, as the key acting, from the refused address. */
export async function recordIpRefusal(
  db: DataSource,
  config: Config,
  auth: AuthState,
  ip: string | null,
): Promise<void> {
  const ctx = await createContext(
    { db, config, authenticator: { authenticate: async () => ({ auth, rejected: false }) } },
    { ip },
  );
  await db.transaction((tx) =>
    record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'apiKey.ipRefused',
      outcome: 'FAILURE',
      failureReason: 'IP_NOT_ALLOWED',
      target: { type: 'apiKey', id: auth.apiKeyId!, name: null },
    }),
  );
}
