// `pnpm bench` runs every benchmark in turn; `pnpm bench <name>` runs bench/<name>.mjs alone.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root } from './server.mjs';

const ALL = ['api-keys', 'key-verify', 'audit-log', 'audit-streams', 'bundle-size'];
const chosen = process.argv.slice(2);
for (const name of chosen.length ? chosen : ALL) {
  if (!ALL.includes(name)) {
    console.error(`Unknown benchmark "${name}"; choose from ${ALL.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name}`);
  const { status } = spawnSync(process.execPath, [path.join(root, 'bench', `${name}.mjs`)], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
