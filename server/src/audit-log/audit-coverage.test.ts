import fs from 'node:fs';
import path from 'node:path';
import { buildAppSchema } from '../app/schema';

/** Every `*.test.ts` under server/src, read as text. */
function testSources(directory = path.resolve(__dirname, '..')): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return testSources(file);
    return entry.name.endsWith('.test.ts') ? [fs.readFileSync(file, 'utf8')] : [];
  });
}

describe('audit coverage', () => {
  it('has a test asserting the audit event of every mutation in the schema', async () => {
    const mutations = Object.keys((await buildAppSchema()).getMutationType()!.getFields());
    // The `mutation:` names given to expectAuditEvent, directly or through a test's own wrapper.
    const asserted = new Set(
      testSources()
        .filter((source) => source.includes('expectAuditEvent('))
        .flatMap((source) => [...source.matchAll(/\bmutation: '(\w+)'/g)].map((match) => match[1])),
    );
    expect(mutations.length).toBeGreaterThan(30);
    expect(mutations.filter((mutation) => !asserted.has(mutation)).sort()).toEqual([]);
  });
});
