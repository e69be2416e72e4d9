import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { CreateApiKeyInput, UpdateApiKeyInput } from './api-key.inputs';
import {
  createApiKey,
  deleteApiKey,
  endPreviousSecret,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
  updateApiKey,
} from './api-key.service';
import { ApiKey, ApiKeyUsageDay, CreatedApiKey } from './api-key.types';
import { apiKeyUsage } from './api-key-usage';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @FieldResolver(() => [ApiKeyUsageDay], { description: "The key's requests per day and outcome, oldest day first" })
  usage(
    @Ctx() ctx: RequestContext,
    @Root() key: ApiKey,
    @Arg('days', () => Int, { defaultValue: 30, description: 'How many days back, today included: 1 to 90' })
    days: number,
  ): Promise<ApiKeyUsageDay[]> {
    return apiKeyUsage(ctx, key.id, days);
  }

  @Authorized('apiKeys:read')
  @Query(() => [ApiKey], { description: "The caller's keys, or a service account's (needs serviceAccounts:manage)" })
  apiKeys(
    @Ctx() ctx: RequestContext,
    @Arg('ownerId', () => ID, {
      nullable: true,
      description: "A service account's id; omitted: the caller's own keys.",
    })
    ownerId?: string,
  ): Promise<ApiKey[]> {
    return listApiKeys(ctx, ownerId);
  }

  @Authorized('apiKeys:manage')
  @Mutation(() => CreatedApiKey, {
    description:
      "Creates an API key, up to 5 per owner (revoked and expired ones count); the secret is in the answer only. Needs apiKeys:manage (serviceAccounts:manage for a service account's key).",
  })
  createApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: "The key's name, scopes, expiry and owner." }) input: CreateApiKeyInput,
  ): Promise<CreatedApiKey> {
    return createApiKey(ctx, input);
  }

  @Authorized('apiKeys:manage')
  @Mutation(() => ApiKey, { description: 'Renames a key or changes its description. Needs apiKeys:manage.' })
  updateApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The key's id." }) id: string,
    @Arg('input', { description: 'The new name or description.' }) input: UpdateApiKeyInput,
  ): Promise<ApiKey> {
    return updateApiKey(ctx, id, input);
  }

  @Authorized('apiKeys:manage')
  @Mutation(() => CreatedApiKey, { description: 'Issues a new secret for the default key, shown once' })
  rotateApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The default key's id." }) id: string,
    @Arg('gracePeriodSeconds', () => Int, { nullable: true, description: '0, 3600, 86400 or 604800' })
    gracePeriodSeconds?: number,
  ): Promise<CreatedApiKey> {
    return rotateApiKey(ctx, id, gracePeriodSeconds);
  }

  @Authorized('apiKeys:manage')
  @Mutation(() => ApiKey, { description: "Stops the secret a rotation's grace period kept working, now" })
  endPreviousSecret(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The key's id." }) id: string,
  ): Promise<ApiKey> {
    return endPreviousSecret(ctx, id);
  }

  @Authorized('apiKeys:manage')
  @Mutation(() => ApiKey, {
    description:
      'Revokes a key: requests with it are refused at once. It stays listed until deleted. Needs apiKeys:manage.',
  })
  revokeApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The key's id." }) id: string,
  ): Promise<ApiKey> {
    return revokeApiKey(ctx, id);
  }

  @Authorized('apiKeys:manage')
  @Mutation(() => ID, {
    description:
      'Deletes a key for good and returns its id; a key still in use stops working at once. Needs apiKeys:manage.',
  })
  deleteApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The key's id." }) id: string,
  ): Promise<string> {
    return deleteApiKey(ctx, id);
  }
}
