// Initial JavaScript (gzip) of the built client: what the sign-in page and the settings shell load
// before anything else, i.e. the entry chunk and everything it imports statically. Settings tabs
// are dynamic imports (client/src/settings/tabs.ts), so they are listed apart, one chunk each.
// Reads client/dist (run `pnpm --filter @gatehouse/client build` first); warns above the budget.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { root } from './server.mjs';

const BUDGET_KB = 150;
const dist = path.join(root, 'client', 'dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const entries = [...html.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+)"/g)].map((match) => match[1]);
if (entries.length === 0) throw new Error('no module script in client/dist/index.html');

const gzipKb = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length / 1024;

/** The chunk and every chunk it imports statically (`import … from "./x.js"`, `import "./x.js"`). */
function staticClosure(files) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(path.join(dist, file), 'utf8');
    for (const [, specifier] of code.matchAll(/import\s*(?:[\w$*{}\s,]+from\s*)?["'](\.\.?\/[^"']+\.js)["']/g)) {
      visit(path.posix.join(path.posix.dirname(file), specifier));
    }
  };
  files.forEach(visit);
  return [...seen];
}

const initial = staticClosure(entries);
const initialKb = initial.reduce((sum, file) => sum + gzipKb(file), 0);
// A tab chunk is reached only through import(): every JS chunk outside the initial set.
const lazy = fs
  .readdirSync(path.join(dist, 'assets'))
  .filter((name) => name.endsWith('.js'))
  .map((name) => `assets/${name}`)
  .filter((file) => !initial.includes(file))
  .map((file) => ({ file, gzipKb: Number(gzipKb(file).toFixed(1)) }))
  .sort((a, b) => b.gzipKb - a.gzipKb);

const result = {
  measuredAt: new Date().toISOString(),
  budgetKb: BUDGET_KB,
  withinBudget: initialKb <= BUDGET_KB,
  // The router has no lazy routes besides the tabs: sign-in pages and the settings shell share one
  // initial bundle, so both figures are the same set of files.
  signInPage: { gzipKb: Number(initialKb.toFixed(1)), files: initial },
  settingsShell: { gzipKb: Number(initialKb.toFixed(1)), files: initial },
  lazyChunks: lazy,
};
fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench', 'results', 'bundle-size.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `initial JS (gzip): sign-in page ${result.signInPage.gzipKb} kB, settings shell ${result.settingsShell.gzipKb} kB`,
);
console.log(`largest lazy chunk: ${lazy[0]?.file} ${lazy[0]?.gzipKb} kB (of ${lazy.length})`);
if (initialKb > BUDGET_KB) console.warn(`WARNING: the initial JS is over the ${BUDGET_KB} kB budget`);
