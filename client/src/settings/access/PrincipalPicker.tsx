import { useQuery } from '@apollo/client/react';
import { PrincipalOptionsDocument, type PrincipalKind } from '@gatehouse/shared/generated';
import { SelectField, type SelectOption } from '../../ui/SelectField';

/**
 * Chooses a user, service account or (where `kinds` allows) group of the organization, leaving
 * out those in `exclude`. The value is the principal's id; '' until one is chosen.
 */
export function PrincipalPicker({
  kinds,
  exclude,
  value,
  onChange,
}: {
  kinds: readonly PrincipalKind[];
  exclude: ReadonlySet<string>;
  value: string;
  onChange: (principalId: string) => void;
}) {
  const { data } = useQuery(PrincipalOptionsDocument);
  const candidates: (SelectOption & { kind: PrincipalKind })[] = data
    ? [
        ...data.members.nodes.flatMap((member) =>
          member.user
            ? [
                {
                  kind: 'USER' as const,
                  value: member.user.id,
                  label: `${[member.user.firstName, member.user.lastName].filter(Boolean).join(' ')} (${member.email})`,
                },
              ]
            : [],
        ),
        ...data.serviceAccounts.map((account) => ({
          kind: 'SERVICE_ACCOUNT' as const,
          value: account.id,
          label: `${account.name} (service account)`,
        })),
        ...data.groups.map((group) => ({ kind: 'GROUP' as const, value: group.id, label: `${group.name} (group)` })),
      ]
    : [];
  const available = candidates.filter((option) => kinds.includes(option.kind) && !exclude.has(option.value));
  return (
    <SelectField
      label="Member"
      value={value}
      onChange={onChange}
      options={[{ value: '', label: data ? 'Choose…' : 'Loading…' }, ...available]}
      hint={data && available.length === 0 ? 'Everyone who could be added already is.' : undefined}
    />
  );
}
