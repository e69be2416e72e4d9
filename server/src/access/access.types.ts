import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { AccessPathKind } from './grant-paths';

registerEnumType(AccessPathKind, {
  name: 'AccessPathKind',
  description: 'How a principal comes to hold a permission',
  valuesConfig: {
    TENANT_ROLE: { description: 'A built-in tenant role (Admin, Builder, Consumer)' },
    CUSTOM_ROLE: { description: 'A custom role: a tenant role, or a workspace role held directly' },
    WORKSPACE_ROLE: { description: 'A built-in workspace role held directly' },
    GROUP_WORKSPACE_ROLE: { description: 'A workspace role held by a group the principal is in' },
    ADMIN_OWNER: { description: 'An Admin of the organization is Owner of every workspace' },
    API_KEY_SCOPES: { description: "The API key's scopes include the permission (they narrow its owner's)" },
  },
});

@ObjectType({ description: 'One way a principal holds a permission' })
export class AccessPath {
  @Field(() => AccessPathKind, { description: 'Where the permission comes from' })
  kind: AccessPathKind;

  @Field({ description: 'The path in a sentence, naming the role, group and workspace' })
  description: string;

  @Field(() => Date, {
    nullable: true,
    description: 'When this path ends (a time-bound role, group membership or API key); null when it does not',
  })
  expiresAt: Date | null;
}

@ObjectType({ description: 'Whether a principal holds a permission, and every path that gives it' })
export class AccessExplanation {
  @Field({ description: 'Whether the principal holds the permission now' })
  allowed: boolean;

  @Field(() => [AccessPath], {
    description: "Every path that grants the permission; for an API key, its owner's paths and its scopes",
  })
  paths: AccessPath[];

  @Field(() => String, {
    nullable: true,
    description: 'Why the permission is not held, in a sentence; null when it is',
  })
  deniedBecause: string | null;
}
