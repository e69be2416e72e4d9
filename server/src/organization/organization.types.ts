import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { apiKeyLifetimePolicy } from '../api-key/api-key-lifetime';
import { ApiKeyLifetime } from '../api-key/api-key.types';
import type { DateFormat, OrganizationEntity, TimeFormat } from './organization.entity';

export enum DateFormatValue {
  MM_DD_YYYY = 'MM_DD_YYYY',
  DD_MM_YYYY = 'DD_MM_YYYY',
}
registerEnumType(DateFormatValue, {
  name: 'DateFormat',
  description: 'MM/DD/YYYY or DD/MM/YYYY',
  valuesConfig: {
    DD_MM_YYYY: { description: 'Day first, e.g. 31/12/2026.' },
    MM_DD_YYYY: { description: 'Month first, e.g. 12/31/2026.' },
  },
});

export enum TimeFormatValue {
  H12 = 'H12',
  H24 = 'H24',
}
registerEnumType(TimeFormatValue, {
  name: 'TimeFormat',
  description: '12-hour or 24-hour clock',
  valuesConfig: {
    H12: { description: '12-hour clock, e.g. 3:30 PM.' },
    H24: { description: '24-hour clock, e.g. 15:30.' },
  },
});

@ObjectType({ description: 'A tenant: its members, roles, settings and audit log.' })
export class Organization {
  @Field(() => ID, { description: "The organization's id." })
  id: string;

  @Field({ description: 'Its name.' })
  name: string;

  @Field({ description: 'When it was created.' })
  createdAt: Date;

  @Field(() => ApiKeyLifetime, { description: 'What the Security settings allow new keys; createApiKey enforces it' })
  apiKeyLifetime: ApiKeyLifetime;

  @Field(() => DateFormatValue, { description: 'How dates are shown everywhere in the UI' })
  dateFormat: DateFormat;

  @Field(() => TimeFormatValue, { description: 'How it shows times.' })
  timeFormat: TimeFormat;

  @Field(() => String, { nullable: true, description: "Where members load the organization's logo; null without one" })
  logoUrl: string | null;

  @Field({ description: 'Every member must use two-factor authentication' })
  requireTwoFactor: boolean;

  @Field(() => Int, { description: 'The shortest new password the organization accepts' })
  minPasswordLength: number;

  static from(entity: OrganizationEntity): Organization {
    return Object.assign(new Organization(), {
      id: entity.id,
      name: entity.name,
      createdAt: entity.createdAt,
      apiKeyLifetime: ApiKeyLifetime.from(apiKeyLifetimePolicy(entity)),
      dateFormat: entity.dateFormat,
      timeFormat: entity.timeFormat,
      minPasswordLength: entity.minPasswordLength,
      requireTwoFactor: entity.requireTwoFactor,
      logoUrl: entity.logoUpdatedAt ? `/api/organizations/${entity.id}/logo?v=${entity.logoUpdatedAt.getTime()}` : null,
    });
  }
}
