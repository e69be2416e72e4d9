import type { Request, Response } from 'express';
import { isPermissionName, isWorkspacePermission } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { requireAuth } from '../auth/policies';
import { requireWorkspacePermission } from '../auth/effective-permissions';
import { AppError } from '../errors/app-error';
import type { ApiKeyAuthenticator, KeyCode } from './api-key-authenticator';

export interface VerifyKeyRequest {
  key: string;
  permission?: string;
  workspaceId?: string;
  /** The address the key was presented from, so its allowlist applies; omitted: not checked. */
  ip?: string;
}

export interface VerifyKeyResult {
  valid: boolean;
  code: KeyCode | 'FORBIDDEN';
  organizationId: string | null;
  ownerId: string | null;
  permissions: string[];
  retryAfterSeconds?: number;
}

const optionalString = (value: unknown, field: string, max: number): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max) throw AppError.badInput(field, `${field} must be a string.`);
  return value;
};

export function parseVerifyKeyRequest(body: unknown): VerifyKeyRequest {
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const key = optionalString(input.key, 'key', 200);
  if (!key) throw AppError.badInput('key', 'key is required.');
  const permission = optionalString(input.permission, 'permission', 100);
  if (permission !== undefined && !isPermissionName(permission)) {
    throw AppError.badInput('permission', `"${permission}" is not a permission.`);
  }
  const workspaceId = optionalString(input.workspaceId, 'workspaceId', 100);
  if (permission && isWorkspacePermission(permission) && !workspaceId) {
    throw AppError.badInput('workspaceId', 'A workspace permission is checked in a workspace: give workspaceId.');
  }
  return { key, permission, workspaceId, ip: optionalString(input.ip, 'ip', 100) };
}

const nobody = { organizationId: null, ownerId: null, permissions: [] };

/**
 * Checks a key presented to one of the host product's other services, answered from the key
 * cache like any request with the key: the same codes as Unkey's verification, the key's rate
 * limit spent and its use counted. Only a service account may ask, and only about its own
 * organization's keys: another organization's key is NOT_FOUND.
 */
export async function verifyApiKey(
  ctx: RequestContext,
  keys: ApiKeyAuthenticator,
  body: unknown,
): Promise<VerifyKeyResult> {
  const caller = requireAuth(ctx);
  if (caller.user.kind !== 'SERVICE_ACCOUNT' || !caller.apiKeyId) {
    throw AppError.forbidden('Keys are verified with a service account key.');
  }
  const request = parseVerifyKeyRequest(body);
  const check = await keys.check(request.key, request.ip ?? null, { checkIp: request.ip !== undefined });
  const organizationId = check.auth?.organizationId ?? check.organizationId;
  if (check.code === 'NOT_FOUND' || organizationId !== caller.organizationId) {
    return { valid: false, code: 'NOT_FOUND', ...nobody };
  }
  if (!check.auth) return { valid: false, code: check.code, ...nobody, organizationId };
  const found = {
    organizationId,
    ownerId: check.auth.user.id,
    permissions: [...check.auth.permissions].sort(),
  };
  if (check.code !== 'VALID') {
    return { valid: false, code: check.code, ...found, retryAfterSeconds: check.retryAfterSeconds };
  }
  if (request.permission && !(await holds({ ...ctx, auth: check.auth }, request))) {
    return { valid: false, code: 'FORBIDDEN', ...found };
  }
  return { valid: true, code: 'VALID', ...found };
}

async function holds(keyCtx: RequestContext, { permission, workspaceId }: VerifyKeyRequest): Promise<boolean> {
  if (!isWorkspacePermission(permission!)) return keyCtx.auth!.permissions.has(permission!);
  try {
    await requireWorkspacePermission(keyCtx, workspaceId!, permission!);
    return true;
  } catch (error) {
    if (error instanceof AppError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) return false;
    throw error;
  }
}

/** POST /api/keys/verify */
export async function serveKeyVerification(
  ctx: RequestContext,
  req: Request,
  res: Response,
  services: { apiKeys: ApiKeyAuthenticator },
): Promise<void> {
  res.json(await verifyApiKey(ctx, services.apiKeys, req.body));
}
