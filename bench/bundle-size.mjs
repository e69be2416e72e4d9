// Initial JavaScript (gzip) of the built client: what the sign-in page and the settings shell load
// before anything else. Each is the entry chunk's static closure plus the static closure of its own
// lazy route chunk (client/src/app/App.tsx): SignInPage for the one, SettingsLayout for the other.
// Settings tabs are dynamic imports too (client/src/settings/tabs.ts) and are listed apart.
// Reads Vite's build manifest in client/dist (run `pnpm --filter @gatehouse/client build` first);
// exits non-zero when the settings shell (the page the budget is for) is over the budget,
// so growth is noticed rather than logged. The sign-in page is reported against the same figure.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { root } from './server.mjs';

const BUDGET_KB = 150;
const dist = path.join(root, 'client', 'dist');
const manifestFile = path.join(dist, '.vite', 'manifest.json');
if (!fs.existsSync(manifestFile)) throw new Error(`no ${manifestFile}: build the client first`);
/** Source module (or shared chunk) -> { file, imports: static imports, as keys of this manifest }. */
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));

const gzipKb = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length / 1024;
const round = (kb) => Number(kb.toFixed(1));

function chunk(key) {
  const found = manifest[key];
  if (!found) throw new Error(`${key} is not in the client build manifest; did it stop being a chunk?`);
  return found;
}

/** The JS files of these chunks and of every chunk they import statically. */
function staticClosure(keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    chunk(key).imports?.forEach(visit);
  };
  keys.forEach(visit);
  return [...seen].map((key) => chunk(key).file).filter((file) => file.endsWith('.js'));
}

const [entry] = Object.keys(manifest).filter((key) => manifest[key].isEntry);
if (!entry) throw new Error('no entry chunk in the client build manifest');

function page(routeModule) {
  const files = staticClosure([entry, routeModule]);
  const kb = files.reduce((sum, file) => sum + gzipKb(file), 0);
  return { route: routeModule, gzipKb: round(kb), withinBudget: kb <= BUDGET_KB, files };
}

const signInPage = page('src/auth/SignInPage.tsx');
const settingsShell = page('src/settings/SettingsLayout.tsx');
// Loaded later, through import() only: every JS chunk neither page needs up front.
const initial = new Set([...signInPage.files, ...settingsShell.files]);
const lazyChunks = Object.values(manifest)
  .map(({ file }) => file)
  .filter((file) => file.endsWith('.js') && !initial.has(file))
  .map((file) => ({ file, gzipKb: round(gzipKb(file)) }))
  .sort((a, b) => b.gzipKb - a.gzipKb);

const result = {
  measuredAt: new Date().toISOString(),
  budgetKb: BUDGET_KB,
  withinBudget: settingsShell.withinBudget,
  signInPage,
  settingsShell,
  lazyChunks,
};
fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench', 'results', 'bundle-size.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`initial JS (gzip): sign-in page ${signInPage.gzipKb} kB, settings shell ${settingsShell.gzipKb} kB`);
if (!signInPage.withinBudget) console.warn(`note: the sign-in page is over ${BUDGET_KB} kB`);
console.log(`largest lazy chunk: ${lazyChunks[0]?.file} ${lazyChunks[0]?.gzipKb} kB (of ${lazyChunks.length})`);
if (!result.withinBudget) {
  console.error(`the settings shell is over the ${BUDGET_KB} kB gzip budget for initial JS`);
  process.exit(1);
}
