import { type ScimPatchOperation, scimPatch } from 'scim-patch';
import { LIMITS } from '@gatehouse/shared';
import { AppError } from '../errors/app-error';
import { scimError } from './scim-filter';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const CORE_PREFIX = /^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i;

/** What Gatehouse keeps of a SCIM User: the rest of a request (titles, enterprise attributes) is accepted and ignored. */
export interface UserFields {
  email: string;
  firstName: string;
  lastName: string;
  active: boolean;
  externalId: string | null;
}

export interface GroupFields {
  displayName: string;
  externalId: string | null;
  memberIds: string[];
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};

function text(value: unknown, attribute: string, max: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalidValue(`${attribute} must be a string.`);
  const trimmed = value.trim();
  if (trimmed.length > max) throw invalidValue(`${attribute} can be at most ${max} characters.`);
  return trimmed;
}

const invalidValue = (message: string) => scimError('BAD_USER_INPUT', 'invalidValue', message);

/** Entra sends booleans as the strings "True" and "False". */
function bool(value: unknown, attribute: string): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidValue(`${attribute} must be true or false.`);
}

/** The person's email: userName when it is an address, else their primary (or first) email. */
export function readUser(body: unknown): UserFields {
  const resource = asObject(body);
  const userName = text(resource.userName, 'userName', LIMITS.emailMaxLength);
  if (!userName) throw invalidValue('userName is required.');
  const emails = Array.isArray(resource.emails) ? resource.emails.map(asObject) : [];
  const email = userName.includes('@')
    ? userName
    : text(
        (emails.find((e) => bool(e.primary ?? false, 'primary')) ?? emails[0])?.value,
        'emails',
        LIMITS.emailMaxLength,
      );
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw invalidValue('userName (or a primary email) must be an email address.');
  const name = asObject(resource.name);
  return {
    email: email.toLowerCase(),
    firstName: text(name.givenName, 'name.givenName', LIMITS.nameMaxLength),
    lastName: text(name.familyName, 'name.familyName', LIMITS.nameMaxLength),
    active: bool(resource.active, 'active'),
    externalId: text(resource.externalId, 'externalId', 256) || null,
  };
}

export function readGroup(body: unknown): GroupFields {
  const resource = asObject(body);
  const displayName = text(resource.displayName, 'displayName', LIMITS.nameMaxLength);
  if (!displayName) throw invalidValue('displayName is required.');
  const members = Array.isArray(resource.members) ? resource.members.map(asObject) : [];
  return {
    displayName,
    externalId: text(resource.externalId, 'externalId', 256) || null,
    memberIds: [...new Set(members.map((m) => text(m.value, 'members.value', 64)).filter(Boolean))],
  };
}

const PATCHABLE = {
  User: new Set(['username', 'name', 'displayname', 'emails', 'active', 'externalid', 'title', 'locale', 'timezone']),
  Group: new Set(['displayname', 'members', 'externalid']),
};

/** The attribute a PATCH path starts at; unknown ones are invalidPath, extension attributes of a User are let through. */
function assertKnownPath(kind: 'User' | 'Group', path: string): void {
  const local = path.replace(CORE_PREFIX, '');
  if (kind === 'User' && /^urn:ietf:params:scim:schemas:extension:/i.test(local)) return;
  const attribute = local.split(/[.[]/, 1)[0].toLowerCase();
  if (!PATCHABLE[kind].has(attribute)) {
    throw scimError('BAD_USER_INPUT', 'invalidPath', `${path} is not an attribute of a SCIM ${kind} here.`);
  }
}

const IGNORED = new Set(['id', 'schemas', 'meta']);

/**
 * Entra removes group members by value (`{"op":"Remove","path":"members","value":[{"value":id}]}`),
 * which scim-patch matches only against identical objects (ours carry `display` too): such a
 * removal becomes one `members[value eq "id"]` removal per member.
 */
function byValueFilter(operation: Json): ScimPatchOperation[] {
  const removesByValue =
    typeof operation.op === 'string' &&
    operation.op.toLowerCase() === 'remove' &&
    typeof operation.path === 'string' &&
    /^members$/i.test(operation.path) &&
    Array.isArray(operation.value);
  if (!removesByValue) return [operation as unknown as ScimPatchOperation];
  return (operation.value as unknown[]).map((member) => ({
    op: 'remove',
    path: `members[value eq ${JSON.stringify(String(asObject(member).value))}]`,
  }));
}

/**
 * Applies a PatchOp (RFC 7644 §3.5.2) to the current resource with scim-patch, which accepts
 * Entra's capitalised ops and member value-filter paths; the result is then saved like a PUT.
 */
export function applyPatch<T extends Json>(kind: 'User' | 'Group', resource: T, body: unknown): T {
  const request = asObject(body);
  const schemas = Array.isArray(request.schemas) ? request.schemas : [];
  const operations = request.Operations ?? request.operations;
  if (!schemas.includes(PATCH_SCHEMA) || !Array.isArray(operations) || !operations.length) {
    throw scimError('BAD_USER_INPUT', 'invalidSyntax', `A PATCH needs the ${PATCH_SCHEMA} schema and Operations.`);
  }
  for (const operation of (operations as unknown[]).map(asObject)) {
    if (typeof operation.op !== 'string' || !/^(add|replace|remove)$/i.test(operation.op)) {
      throw scimError('BAD_USER_INPUT', 'invalidSyntax', 'Each operation is add, replace or remove.');
    }
    if (operation.path !== undefined) {
      if (typeof operation.path !== 'string')
        throw scimError('BAD_USER_INPUT', 'invalidPath', 'path must be a string.');
      assertKnownPath(kind, operation.path);
    } else {
      // Okta repeats the id (and schemas) in a replace without a path; they change nothing.
      for (const key of Object.keys(asObject(operation.value))) if (!IGNORED.has(key)) assertKnownPath(kind, key);
    }
  }
  try {
    return scimPatch(resource as never, (operations as unknown[]).map(asObject).flatMap(byValueFilter), {
      mutateDocument: false,
    }) as T;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw scimError(
      'BAD_USER_INPUT',
      'invalidPath',
      error instanceof Error ? error.message : 'The PATCH path is not valid.',
    );
  }
}
