const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Kind, parse, print, visit } = require('graphql');
const { checkSchemaChange } = require('./schema-guard');

const root = path.resolve(__dirname, '..');
const schema = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8');

/** The real schema with `Type.field` removed. */
function withoutField(sdl, type, field) {
  const edited = visit(parse(sdl), {
    ObjectTypeDefinition: (node) =>
      node.name.value === type ? { ...node, fields: node.fields.filter((f) => f.name.value !== field) } : undefined,
  });
  return print(edited);
}

/** The real schema with a new nullable `Query.<name>: String`. */
const withQueryField = (sdl, name) => sdl.replace(/^type Query \{$/m, `type Query {\n  ${name}: String`);

describe('the breaking-change guard', () => {
  it('catches a removed field as breaking, unless a Breaking changelog line or commit message names it', async () => {
    const sdl = withoutField(schema, 'Query', 'members');

    const unmarked = await checkSchemaChange({ baseSdl: schema, sdl });
    expect(unmarked.unintendedBreaking.map((c) => c.path)).toEqual(['Query.members']);

    // Listing it among additions is not marking it intended.
    const elsewhere = await checkSchemaChange({
      baseSdl: schema,
      sdl,
      changelog: '# Changelog\n\n## Unreleased\n\n### Added\n\n- `Query.members` gone\n',
    });
    expect(elsewhere.unintendedBreaking).toHaveLength(1);

    // A longer coordinate starting with the same words names another field.
    const other = await checkSchemaChange({
      baseSdl: schema,
      sdl,
      commitMessages: ['Members\n\nBREAKING CHANGE: `Query.membersWithoutTwoFactor` removed'],
    });
    expect(other.unintendedBreaking).toHaveLength(1);

    const inChangelog = await checkSchemaChange({
      baseSdl: schema,
      sdl,
      changelog:
        '# Changelog\n\n## Unreleased\n\n### Breaking\n\n- `Query.members` removed: use `organization.members`\n',
    });
    expect(inChangelog.unintendedBreaking).toEqual([]);

    const inCommit = await checkSchemaChange({
      baseSdl: schema,
      sdl,
      commitMessages: ['Members: one list\n\nBREAKING CHANGE: Query.members removed.'],
    });
    expect(inCommit.unintendedBreaking).toEqual([]);
  });

  it('does not count an added field as breaking, and wants it listed in the changelog', async () => {
    const sdl = withQueryField(schema, 'gatehouseVersion');

    const unlisted = await checkSchemaChange({ baseSdl: schema, sdl });
    expect(unlisted.unintendedBreaking).toEqual([]);
    expect(unlisted.unlisted.map((c) => c.path)).toEqual(['Query.gatehouseVersion']);

    const listed = await checkSchemaChange({
      baseSdl: schema,
      sdl,
      changelog: '# Changelog\n\n## Unreleased\n\n### Added\n\n- `Query.gatehouseVersion`: the version\n',
    });
    expect(listed).toMatchObject({ unintendedBreaking: [], unlisted: [] });
  });

  it('needs no entry for a change to descriptions alone', async () => {
    const sdl = print(
      visit(parse(schema), {
        ObjectTypeDefinition: (node) =>
          node.name.value === 'Query'
            ? { ...node, description: { kind: Kind.STRING, value: 'Edited.', block: true } }
            : undefined,
      }),
    );
    expect(sdl).not.toBe(schema);
    expect(await checkSchemaChange({ baseSdl: schema, sdl })).toMatchObject({
      changes: [],
      unintendedBreaking: [],
      unlisted: [],
    });
  });

  describe('as CI runs it, in a clone of main', () => {
    let repo;
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    };
    delete env.SCHEMA_BASE;
    const git = (...args) => execFileSync('git', args, { cwd: repo, env, stdio: 'pipe' });
    const commit = (files, message) => {
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(repo, name), text);
      git('add', '-A');
      git('commit', '-q', '-m', message);
    };
    const guard = (...args) => {
      const run = spawnSync(process.execPath, [path.join(__dirname, 'schema-guard.js'), ...args], {
        cwd: repo,
        env,
        encoding: 'utf8',
      });
      return { status: run.status, output: run.stdout + run.stderr };
    };

    beforeEach(() => {
      repo = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-guard-'));
      git('init', '-q', '-b', 'main');
      commit({ 'schema.graphql': schema }, 'First');
    });
    afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

    it('fails on a commit to main that removes a field, and passes once the changelog marks it', () => {
      commit({ 'schema.graphql': withoutField(schema, 'Query', 'members') }, 'Drop the members query');
      const failed = guard();
      expect(failed.status).toBe(1);
      expect(failed.output).toContain('BREAKING  Query.members');

      fs.writeFileSync(
        path.join(repo, 'CHANGELOG.md'),
        '# Changelog\n\n## Unreleased\n\n### Breaking\n\n- `Query.members` removed: use `Query.organization`\n',
      );
      git('add', '-A');
      git('commit', '-q', '--amend', '--no-edit');
      expect(guard().status).toBe(0);
    });

    it('on a branch compares with where it left main, and --write lists an added field', () => {
      git('checkout', '-q', '-b', 'feature');
      commit({ 'schema.graphql': withQueryField(schema, 'gatehouseVersion') }, 'Add a field');
      commit({ 'README.md': 'Unrelated\n' }, 'Docs');
      const failed = guard();
      expect(failed.status).toBe(1);
      expect(failed.output).toContain('UNLISTED  Query.gatehouseVersion');
      expect(failed.output).not.toContain('BREAKING');

      expect(guard('--write').status).toBe(0);
      expect(fs.readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8')).toContain(
        '## Unreleased\n\n### Added\n\n- `Query.gatehouseVersion`: ',
      );
      expect(guard().status).toBe(0);
    });
  });
});
