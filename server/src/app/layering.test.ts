import fs from 'node:fs';
import path from 'node:path';

/**
 * The server's arrows point one way: the composition root (app/) wires domains together, the
 * domains use the kernel (kernel/: config, context, logger, loaders, metrics, GraphQL building
 * blocks) and the error type, and the kernel needs nothing above it at run time. A type-only
 * import is allowed anywhere: it disappears from the compiled code.
 */
const SRC = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Runtime imports of a file, as folders and files relative to server/src. */
function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const imports = [...text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)].map((match) => match[1]);
  return imports.map((specifier) => path.relative(SRC, path.resolve(path.dirname(file), specifier)));
}

const area = (relative: string) => relative.split(path.sep)[0];

const files = sourceFiles(SRC).map((file) => ({
  file: path.relative(SRC, file),
  imports: runtimeImports(file),
}));

test('only the entry point and the test harness import the composition root', () => {
  const offenders = files
    .filter(({ file }) => !['app', 'test'].includes(area(file)) && file !== 'main.ts')
    .flatMap(({ file, imports }) => imports.filter((target) => area(target) === 'app').map((t) => `${file} → ${t}`));
  expect(offenders).toEqual([]);
});

test('the kernel depends on nothing above it at run time', () => {
  const offenders = files
    .filter(({ file }) => area(file) === 'kernel')
    .flatMap(({ file, imports }) =>
      imports.filter((target) => !['kernel', 'errors'].includes(area(target))).map((t) => `${file} → ${t}`),
    );
  expect(offenders).toEqual([]);
});

test('the checks above see real imports', () => {
  const http = files.find(({ file }) => file === path.join('app', 'http-server.ts'));
  expect(http?.imports).toContain(path.join('kernel', 'context'));
});
