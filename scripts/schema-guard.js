// The breaking-change guard for the public GraphQL API. Compares schema.graphql with the schema of
// the commit this work builds on (on main: the previous commit, HEAD^, which a clean clone of main
// in CI has; on a branch: where it left main) and fails on:
// - a breaking change that neither a commit message since then (a `BREAKING CHANGE:` line naming
//   it) nor a line added to CHANGELOG.md under a `### Breaking` heading names as intended;
// - any other change to the schema (an addition, a dangerous change, a deprecation) without a line
//   added to CHANGELOG.md naming it. `--write` adds those lines under `## Unreleased`.
// Changes to descriptions alone are documentation, not contract, and need no entry.
// Usage: node scripts/schema-guard.js [--write]; SCHEMA_BASE=<commit> picks the base by hand.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { buildSchema } = require('graphql');
const { diff, CriticalityLevel } = require('@graphql-inspector/core');

const SCHEMA = 'schema.graphql';
const CHANGELOG = 'CHANGELOG.md';
const UNRELEASED = '## Unreleased';
const BREAKING_HEADING = /^###\s+Breaking/i;
const DEPRECATIONS = new Set(['FIELD_DEPRECATION_ADDED', 'ENUM_VALUE_DEPRECATION_REASON_ADDED']);

/** How a change is named in a changelog line or commit message: its schema coordinate, in backticks. */
const nameOf = (change) => change.path ?? change.message;

/** Whether `text` names the coordinate, not merely a longer one starting with it (`Query.member` vs `Query.members`). */
function names(text, change) {
  const escaped = nameOf(change).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.])${escaped}(?!\\.?\\w)`).test(text);
}

/** The changelog section a change belongs in when it is not breaking. */
function sectionOf(change) {
  if (DEPRECATIONS.has(change.type)) return 'Deprecated';
  if (change.criticality.level === CriticalityLevel.NonBreaking && change.type.endsWith('_ADDED')) return 'Added';
  return 'Changed';
}

/** Lines of `current` not in `base` (a multiset difference), each with the `###` heading it sits under. */
function addedLines(base, current) {
  const remaining = new Map();
  for (const line of base.split('\n')) remaining.set(line, (remaining.get(line) ?? 0) + 1);
  const added = [];
  let heading = '';
  for (const line of current.split('\n')) {
    if (line.startsWith('#')) heading = line;
    const left = remaining.get(line) ?? 0;
    if (left > 0) remaining.set(line, left - 1);
    else if (line.trim()) added.push({ line, heading });
  }
  return added;
}

/**
 * Compares two schemas (SDL) and judges the changes against what this work says about them.
 * Returns the breaking changes not marked intended and the other changes not in the changelog.
 */
async function checkSchemaChange({ baseSdl, sdl, baseChangelog = '', changelog = '', commitMessages = [] }) {
  const changes = (await diff(buildSchema(baseSdl), buildSchema(sdl))).filter((c) => !c.type.includes('DESCRIPTION'));
  const added = addedLines(baseChangelog, changelog);
  const breakingNotes = added.filter((a) => BREAKING_HEADING.test(a.heading)).map((a) => a.line);
  const messages = commitMessages.filter((m) => /BREAKING[ -]CHANGE:/.test(m));
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const others = changes.filter((c) => c.criticality.level !== CriticalityLevel.Breaking);
  return {
    changes,
    unintendedBreaking: breaking.filter((c) => ![...breakingNotes, ...messages].some((text) => names(text, c))),
    unlisted: others.filter((c) => !added.some((a) => names(a.line, c))),
  };
}

/** Leading and trailing blank lines removed. */
function trimBlank(lines) {
  const from = lines.findIndex((l) => l.trim());
  if (from < 0) return [];
  let to = lines.length;
  while (!lines[to - 1].trim()) to -= 1;
  return lines.slice(from, to);
}

/** CHANGELOG.md with a line for each change added under `## Unreleased` / `### <section>`. */
function withEntries(changelog, changes) {
  const lines = trimBlank((changelog || '# Changelog').split('\n'));
  let start = lines.indexOf(UNRELEASED);
  if (start < 0) {
    const firstRelease = lines.findIndex((l) => l.startsWith('## '));
    start = firstRelease < 0 ? lines.length : firstRelease;
    lines.splice(start, 0, UNRELEASED);
  }
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = lines.length;
  // The Unreleased section as its text before any `###` and each `###` heading with its lines.
  const sections = new Map([['', []]]);
  let current = '';
  for (const line of lines.slice(start + 1, end)) {
    if (line.startsWith('### ')) sections.set((current = line), sections.get(line) ?? []);
    else sections.get(current).push(line);
  }
  for (const change of changes) {
    const heading = `### ${sectionOf(change)}`;
    if (!sections.has(heading)) sections.set(heading, []);
    const entries = trimBlank(sections.get(heading));
    sections.set(heading, [...entries, `- \`${nameOf(change)}\`: ${change.message}`]);
  }
  const section = [UNRELEASED];
  for (const [heading, body] of sections) {
    if (heading) section.push('', heading);
    if (trimBlank(body).length) section.push('', ...trimBlank(body));
  }
  const before = trimBlank(lines.slice(0, start));
  const after = lines.slice(end);
  return [...before, ...(before.length ? [''] : []), ...section, ...(after.length ? ['', ...after] : []), ''].join(
    '\n',
  );
}

function git(...args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The commit this work builds on: the previous commit on main, or where a branch left main. */
function baseCommit() {
  if (process.env.SCHEMA_BASE) return git('rev-parse', '--verify', '-q', `${process.env.SCHEMA_BASE}^{commit}`);
  const head = git('rev-parse', 'HEAD');
  const main =
    git('rev-parse', '--verify', '-q', 'refs/heads/main') ?? git('rev-parse', '--verify', '-q', 'origin/main');
  if (!main || main === head) return git('rev-parse', '--verify', '-q', 'HEAD^');
  return git('merge-base', 'HEAD', main);
}

async function main() {
  const root = git('rev-parse', '--show-toplevel') ?? process.cwd();
  process.chdir(root);
  const base = baseCommit();
  const baseSdl = base && git('show', `${base}:${SCHEMA}`);
  if (!baseSdl) {
    console.log(`schema guard: no ${SCHEMA} in a base commit to compare with; nothing to check`);
    return 0;
  }
  const changelog = fs.existsSync(CHANGELOG) ? fs.readFileSync(CHANGELOG, 'utf8') : '';
  const log = git('log', '--format=%B%x00', `${base}..HEAD`) ?? '';
  const result = await checkSchemaChange({
    baseSdl,
    sdl: fs.readFileSync(SCHEMA, 'utf8'),
    baseChangelog: git('show', `${base}:${CHANGELOG}`) ?? '',
    changelog,
    commitMessages: log.split('\0'),
  });
  const since = `since ${base.slice(0, 10)}`;
  if (process.argv.includes('--write') && result.unlisted.length) {
    fs.writeFileSync(CHANGELOG, withEntries(changelog, result.unlisted));
    console.log(`schema guard: listed ${result.unlisted.length} change(s) in ${path.join(root, CHANGELOG)}`);
    result.unlisted = [];
  }
  for (const c of result.unintendedBreaking) console.log(`BREAKING  ${nameOf(c)}: ${c.message}`);
  for (const c of result.unlisted) console.log(`UNLISTED  ${nameOf(c)}: ${c.message}`);
  if (result.unintendedBreaking.length) {
    console.log(
      `schema guard: ${result.unintendedBreaking.length} breaking change(s) to ${SCHEMA} ${since}. Restore them, or ` +
        `mark each intended: a line naming it in ${CHANGELOG} under "### Breaking" (what integrators must do), ` +
        'or a "BREAKING CHANGE: <coordinate>" line in the commit message.',
    );
  }
  if (result.unlisted.length) {
    console.log(
      `schema guard: ${result.unlisted.length} change(s) to ${SCHEMA} ${since} not in ${CHANGELOG}: ` +
        'run `pnpm schema:changelog` to list them and commit the result.',
    );
  }
  if (result.unintendedBreaking.length || result.unlisted.length) return 1;
  console.log(`schema guard: ${result.changes.length} change(s) to ${SCHEMA} ${since}, none unmarked or unlisted`);
  return 0;
}

module.exports = { checkSchemaChange, withEntries };

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
