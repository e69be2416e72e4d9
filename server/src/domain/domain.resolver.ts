import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { UpdateDomainInput } from './domain.inputs';
import { addDomain, deleteDomain, listDomains, updateDomain, verifyDomain } from './domain.service';
import { Domain } from './domain.types';

@Resolver()
export class DomainResolver {
  @Authorized('security:manage')
  @Query(() => [Domain], { description: "The organization's claimed domains, verified or not" })
  domains(@Ctx() ctx: RequestContext): Promise<Domain[]> {
    return listDomains(ctx);
  }

  @Authorized('security:manage')
  @Mutation(() => Domain, { description: 'Claims a domain; it counts once its DNS TXT record is found' })
  addDomain(
    @Ctx() ctx: RequestContext,
    @Arg('domain', { description: 'The domain name, e.g. example.com.' }) domain: string,
    @Arg('includeSubdomains', { defaultValue: false, description: 'Once verified, also cover its subdomains' })
    includeSubdomains: boolean,
  ): Promise<Domain> {
    return addDomain(ctx, domain, includeSubdomains);
  }

  @Authorized('security:manage')
  @Mutation(() => Domain, { description: 'Looks the DNS TXT record up now' })
  verifyDomain(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The domain's id." }) id: string,
  ): Promise<Domain> {
    return verifyDomain(ctx, id);
  }

  @Authorized('security:manage')
  @Mutation(() => Domain, { description: 'Changes a claimed domain. Needs security:manage.' })
  updateDomain(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The domain's id." }) id: string,
    @Arg('input', { description: 'The new values.' }) input: UpdateDomainInput,
  ): Promise<Domain> {
    return updateDomain(ctx, id, input);
  }

  @Authorized('security:manage')
  @Mutation(() => ID, { description: 'Removes a claimed domain and returns its id. Needs security:manage.' })
  deleteDomain(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The domain's id." }) id: string,
  ): Promise<string> {
    return deleteDomain(ctx, id);
  }
}
