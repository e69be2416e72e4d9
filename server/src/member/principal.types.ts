import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum PrincipalKind {
  USER = 'USER',
  SERVICE_ACCOUNT = 'SERVICE_ACCOUNT',
  GROUP = 'GROUP',
}
registerEnumType(PrincipalKind, {
  name: 'PrincipalKind',
  description: 'What a principal is.',
  valuesConfig: {
    GROUP: { description: 'A group.' },
    SERVICE_ACCOUNT: { description: 'A service account.' },
    USER: { description: 'A person.' },
  },
});

@ObjectType({ description: 'Who can hold a role: a user, a service account or a group' })
export class Principal {
  @Field(() => ID, { description: 'Its id.' })
  id: string;

  @Field(() => PrincipalKind, { description: 'What it is.' })
  kind: PrincipalKind;

  @Field({ description: 'Its display name.' })
  name: string;

  @Field(() => String, { nullable: true, description: "The user's email; null for groups and service accounts." })
  email: string | null;
}

export interface PrincipalRow {
  id: string;
  kind: string;
  first_name: string;
  last_name: string;
  email: string | null;
  sa_name: string | null;
}

/** SQL columns for principalFromRow, given users `u` left-joined to service_accounts `sa`. */
export const PRINCIPAL_COLUMNS = 'u.id, u.kind, u.first_name, u.last_name, u.email, sa.name AS sa_name';

export function principalFromRow(row: PrincipalRow): Principal {
  const person = `${row.first_name} ${row.last_name}`.trim();
  return Object.assign(new Principal(), {
    id: row.id,
    kind: row.kind === 'SERVICE_ACCOUNT' ? PrincipalKind.SERVICE_ACCOUNT : PrincipalKind.USER,
    name: row.sa_name ?? (person || row.email || row.id),
    email: row.email,
  });
}

export function groupPrincipal(group: { id: string; name: string }): Principal {
  return Object.assign(new Principal(), { id: group.id, kind: PrincipalKind.GROUP, name: group.name, email: null });
}
