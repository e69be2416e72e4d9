import express, { type Request, type RequestHandler, type Response } from 'express';
import type { RequestContext } from '../kernel/context';
import { logger } from '../kernel/logger';
import { databaseOutage } from '../db/availability';
import { respondIfUnavailable } from '../errors/service-unavailable';
import { AppError, type ErrorCode } from '../errors/app-error';
import { GROUP_SCHEMA, USER_SCHEMA } from './scim-resources';
import {
  type ListQuery,
  createScimGroup,
  createScimUser,
  deleteScimGroup,
  deleteScimUser,
  getScimGroup,
  getScimUser,
  listScimGroups,
  listScimUsers,
  patchScimGroup,
  patchScimUser,
  replaceScimGroup,
  replaceScimUser,
} from './scim.service';

export const SCIM_MEDIA_TYPE = 'application/scim+json';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

const jsonBody = express.json({ type: [SCIM_MEDIA_TYPE, 'application/json'], limit: '1mb' });

/** Identity providers send application/scim+json, some plain application/json; a body that is not JSON is a SCIM error too. */
export const scimBody: RequestHandler = (req, res, next) =>
  jsonBody(req, res, (error?: unknown) => (error ? answerScimError(error, req, res) : next()));

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type(SCIM_MEDIA_TYPE).send(JSON.stringify(body));
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

/**
 * Every failure of a SCIM route, the guard's refusals included, as a SCIM error body (RFC 7644
 * §3.12) with its scimType; anything unexpected is logged and answered as a bare 500.
 */
export function answerScimError(error: unknown, req: Request, res: Response): void {
  if (respondIfUnavailable(res, error)) return;
  const parseError = (error as { type?: string })?.type === 'entity.parse.failed';
  if (!(error instanceof AppError) && !parseError && !databaseOutage.note(error))
    logger.error({ err: error, path: req.path, requestId: res.getHeader('x-request-id') }, 'SCIM request failed');
  if (parseError) {
    send(res, 400, {
      schemas: [ERROR_SCHEMA],
      status: '400',
      scimType: 'invalidSyntax',
      detail: 'The body is not valid JSON.',
    });
    return;
  }
  const known = error instanceof AppError ? error : null;
  const status = (known && STATUS[known.code]) ?? 500;
  const scimType = known?.extensions?.scimType ?? (known?.code === 'BAD_USER_INPUT' ? 'invalidValue' : undefined);
  send(res, status, {
    schemas: [ERROR_SCHEMA],
    status: String(status),
    ...(scimType ? { scimType } : {}),
    detail: known?.message ?? 'Something went wrong on our side. Please try again.',
  });
}

const query = (req: Request): ListQuery => {
  const text = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
  return {
    filter: text('filter'),
    startIndex: text('startIndex'),
    count: text('count'),
    excludedAttributes: text('excludedAttributes'),
  };
};

type Handler = (ctx: RequestContext, req: Request, res: Response) => Promise<void>;

const id = (req: Request) => String(req.params.id);

export const scimHandlers = {
  listUsers: (async (ctx, req, res) => send(res, 200, await listScimUsers(ctx, query(req)))) as Handler,
  createUser: (async (ctx, req, res) => send(res, 201, await createScimUser(ctx, req.body))) as Handler,
  getUser: (async (ctx, req, res) => send(res, 200, await getScimUser(ctx, id(req)))) as Handler,
  replaceUser: (async (ctx, req, res) => send(res, 200, await replaceScimUser(ctx, id(req), req.body))) as Handler,
  patchUser: (async (ctx, req, res) => send(res, 200, await patchScimUser(ctx, id(req), req.body))) as Handler,
  deleteUser: (async (ctx, req, res) => {
    await deleteScimUser(ctx, id(req));
    res.status(204).end();
  }) as Handler,
  listGroups: (async (ctx, req, res) => send(res, 200, await listScimGroups(ctx, query(req)))) as Handler,
  createGroup: (async (ctx, req, res) => send(res, 201, await createScimGroup(ctx, req.body))) as Handler,
  getGroup: (async (ctx, req, res) => send(res, 200, await getScimGroup(ctx, id(req)))) as Handler,
  replaceGroup: (async (ctx, req, res) => send(res, 200, await replaceScimGroup(ctx, id(req), req.body))) as Handler,
  patchGroup: (async (ctx, req, res) => send(res, 200, await patchScimGroup(ctx, id(req), req.body))) as Handler,
  deleteGroup: (async (ctx, req, res) => {
    await deleteScimGroup(ctx, id(req));
    res.status(204).end();
  }) as Handler,
};

// ---- Discovery (RFC 7644 §4): public, the same for every organization ------------------------

const attribute = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

const SCHEMAS = [
  {
    id: USER_SCHEMA,
    name: 'User',
    description: 'A member of the organization',
    attributes: [
      attribute('userName', 'string', { required: true, uniqueness: 'server' }),
      attribute('name', 'complex', {
        subAttributes: [
          attribute('givenName', 'string'),
          attribute('familyName', 'string'),
          attribute('formatted', 'string'),
        ],
      }),
      attribute('displayName', 'string', { mutability: 'readOnly' }),
      attribute('emails', 'complex', {
        multiValued: true,
        subAttributes: [attribute('value', 'string'), attribute('type', 'string'), attribute('primary', 'boolean')],
      }),
      attribute('active', 'boolean'),
      attribute('externalId', 'string', { caseExact: true }),
    ],
  },
  {
    id: GROUP_SCHEMA,
    name: 'Group',
    description: 'A group of members; its workspace roles are set in Gatehouse',
    attributes: [
      attribute('displayName', 'string', { required: true, uniqueness: 'server' }),
      attribute('members', 'complex', {
        multiValued: true,
        subAttributes: [attribute('value', 'string', { mutability: 'immutable' }), attribute('display', 'string')],
      }),
      attribute('externalId', 'string', { caseExact: true }),
    ],
  },
];

const withMeta = (ctx: RequestContext, resourceType: string, path: string, body: Record<string, unknown>) => ({
  ...body,
  meta: { resourceType, location: `${ctx.config.publicUrl}/scim/v2/${path}` },
});

export const serviceProviderConfig: Handler = async (ctx, _req, res) =>
  send(res, 200, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 200 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'SCIM token',
        description: 'A gth_scim_ token created under Security → SCIM provisioning, sent as a Bearer token',
        primary: true,
      },
    ],
    ...withMeta(ctx, 'ServiceProviderConfig', 'ServiceProviderConfig', {}),
  });

export const resourceTypes: Handler = async (ctx, _req, res) => {
  const types = [
    { id: 'User', name: 'User', endpoint: '/Users', schema: USER_SCHEMA },
    { id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA },
  ].map((type) =>
    withMeta(ctx, 'ResourceType', `ResourceTypes/${type.id}`, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      ...type,
    }),
  );
  send(res, 200, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: types.length,
    Resources: types,
  });
};

export const schemas: Handler = async (ctx, _req, res) => {
  const resources = SCHEMAS.map((schema) => withMeta(ctx, 'Schema', `Schemas/${schema.id}`, schema));
  send(res, 200, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: resources.length,
    Resources: resources,
  });
};
