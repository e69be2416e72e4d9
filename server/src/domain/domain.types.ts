import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { challengeName, challengeValue } from './domain-dns';
import type { OrganizationDomainEntity } from './domain.entity';

export enum DomainStatus {
  PENDING = 'PENDING',
  VERIFIED = 'VERIFIED',
  FAILED = 'FAILED',
}
registerEnumType(DomainStatus, {
  name: 'DomainStatus',
  valuesConfig: {
    PENDING: { description: 'Waiting for the DNS record; checked on demand and in the background' },
    VERIFIED: { description: 'Proven: the organization may use it for single sign-on' },
    FAILED: { description: 'Not proven within the checking period; "Verify now" still tries' },
  },
  description: "Where a claimed domain's verification stands.",
});

@ObjectType({ description: 'The DNS record that proves control of a domain' })
export class DomainVerificationRecord {
  @Field({ description: 'Always TXT' })
  type: string;

  @Field({ description: 'The record name, e.g. _gatehouse-challenge.example.com' })
  name: string;

  @Field({ description: "The TXT record's value." })
  value: string;
}

@ObjectType({ description: 'A domain the organization claims; only a verified one counts for single sign-on' })
export class Domain {
  @Field(() => ID, { description: "The domain's id." })
  id: string;

  @Field({ description: 'Lowercase; internationalized names in punycode' })
  domain: string;

  @Field(() => DomainStatus, { description: 'Whether it is verified.' })
  status: DomainStatus;

  @Field({ description: 'Whether the verified domain also covers its subdomains (e.g. eu.example.com)' })
  includeSubdomains: boolean;

  @Field(() => DomainVerificationRecord, { description: 'The DNS TXT record that proves ownership.' })
  verificationRecord: DomainVerificationRecord;

  @Field(() => Date, { nullable: true, description: 'When it was verified; null until then.' })
  verifiedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When its DNS record was last checked.' })
  lastCheckedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last check did not verify the domain' })
  lastCheckError: string | null;

  @Field({ description: 'When it was claimed.' })
  createdAt: Date;

  static from(entity: OrganizationDomainEntity): Domain {
    return Object.assign(new Domain(), {
      id: entity.id,
      domain: entity.domain,
      status: entity.status as DomainStatus,
      includeSubdomains: entity.includeSubdomains,
      verificationRecord: Object.assign(new DomainVerificationRecord(), {
        type: 'TXT',
        name: challengeName(entity.domain),
        value: challengeValue(entity.verificationToken),
      }),
      verifiedAt: entity.verifiedAt,
      lastCheckedAt: entity.lastCheckedAt,
      lastCheckError: entity.lastCheckError,
      createdAt: entity.createdAt,
    });
  }
}
