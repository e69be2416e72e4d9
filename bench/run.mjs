// `pnpm bench` runs the quick benchmarks (a few minutes); `pnpm bench <name>` runs bench/<name>.mjs
// alone, including the long ones (the audit log at ten million events, audit stream delivery).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root } from './server.mjs';

const QUICK = ['api', 'key-verify', 'members', 'bundle-size'];
const ALL = [...QUICK, 'audit-log', 'audit-streams'];
const chosen = process.argv.slice(2);
for (const name of chosen.length ? chosen : QUICK) {
  if (!ALL.includes(name)) {
    console.error(`Unknown benchmark "${name}"; choose from ${ALL.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name}`);
  const { status } = spawnSync(process.execPath, [path.join(root, 'bench', `${name}.mjs`)], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
