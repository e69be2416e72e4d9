import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../kernel/config';

/**
 * Publishes DNS records on the test run's DNS server (scripts/dns-server.js, started by jest's
 * global setup, which points DNS_SERVERS at it): a real server on a loopback port that every
 * Gatehouse in the run resolves through.
 */
const { recordFile }: { recordFile(dir: string, name: string): string | null } = require(
  path.join(PROJECT_ROOT, 'scripts', 'dns-server.js'),
);

function fileFor(name: string): string {
  const dir = process.env.TEST_DNS_RECORDS_DIR;
  if (!dir) throw new Error('TEST_DNS_RECORDS_DIR is not set: run the tests through jest (scripts/test-setup.js)');
  const file = recordFile(dir, name);
  if (!file) throw new Error(`not a DNS name: ${name}`);
  return file;
}

/** Replaces the TXT values at `name`; they answer the next query. */
export function publishTxt(name: string, ...values: string[]): void {
  const file = fileFor(name);
  // Renamed into place, so the server never reads half a file.
  fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(values));
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

/** Removes every TXT value at `name`: it answers NXDOMAIN again. */
export function removeTxt(name: string): void {
  fs.rmSync(fileFor(name), { force: true });
}
