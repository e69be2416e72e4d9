import type { AccessOptionsQuery } from '@gatehouse/shared/generated';
import { Button } from '../../ui/Button';
import { CheckboxList } from '../../ui/CheckboxList';
import { SelectField } from '../../ui/SelectField';

interface WorkspaceRoleInput {
  workspaceId: string;
  roleId: string;
}

export interface Assignments {
  roleId: string;
  groupIds: ReadonlySet<string>;
  workspaceRoles: readonly WorkspaceRoleInput[];
}

type Options = AccessOptionsQuery;

export function rolesOfScope(options: Options, scope: 'TENANT' | 'WORKSPACE') {
  return options.roles.filter((role) => role.scope === scope);
}

/** Consumer by default: the least a new member or service account can start with. */
export function initialAssignments(options: Options): Assignments {
  const tenantRoles = rolesOfScope(options, 'TENANT');
  return {
    roleId: tenantRoles.find((role) => role.id === 'consumer')?.id ?? tenantRoles[0]?.id ?? '',
    groupIds: new Set(),
    workspaceRoles: [],
  };
}

export function assignmentsInput(assignments: Assignments) {
  return {
    roleId: assignments.roleId,
    groupIds: [...assignments.groupIds],
    workspaceRoles: assignments.workspaceRoles.filter((entry) => entry.workspaceId && entry.roleId),
  };
}

/**
 * The tenant role, groups and workspace roles a new member or service account starts with; the
 * server refuses any the editor may not grant, so every choice is offered.
 */
export function AssignmentFields({
  options,
  value,
  onChange,
}: {
  options: Options;
  value: Assignments;
  onChange: (value: Assignments) => void;
}) {
  const workspaceRoles = rolesOfScope(options, 'WORKSPACE');
  const defaultWorkspaceRole = workspaceRoles.find((role) => role.id === 'viewer')?.id ?? workspaceRoles[0]?.id ?? '';
  const usedWorkspaces = new Set(value.workspaceRoles.map((entry) => entry.workspaceId));
  const freeWorkspace = options.workspaces.find((workspace) => !usedWorkspaces.has(workspace.id));

  function setWorkspaceRole(index: number, entry: WorkspaceRoleInput | null) {
    const next = [...value.workspaceRoles];
    if (entry) next[index] = entry;
    else next.splice(index, 1);
    onChange({ ...value, workspaceRoles: next });
  }

  return (
    <>
      <SelectField
        label="Role"
        options={rolesOfScope(options, 'TENANT').map((role) => ({ value: role.id, label: role.name }))}
        value={value.roleId}
        onChange={(roleId) => onChange({ ...value, roleId })}
      />
      <div className="scope-picker">
        <CheckboxList
          legend="Groups"
          options={options.groups.map((group) => ({ value: group.id, label: group.name }))}
          selected={value.groupIds}
          onChange={(groupIds) => onChange({ ...value, groupIds })}
          empty="No groups yet."
        />
      </div>
      <fieldset className="fieldset">
        <legend className="field-label">Workspace roles</legend>
        {value.workspaceRoles.map((entry, index) => (
          <div key={entry.workspaceId} className="form-row form-row-compact">
            <SelectField
              compact
              label={`Workspace ${index + 1}`}
              options={options.workspaces
                .filter((workspace) => workspace.id === entry.workspaceId || !usedWorkspaces.has(workspace.id))
                .map((workspace) => ({ value: workspace.id, label: workspace.name }))}
              value={entry.workspaceId}
              onChange={(workspaceId) => setWorkspaceRole(index, { ...entry, workspaceId })}
            />
            <SelectField
              compact
              label={`Role in workspace ${index + 1}`}
              options={workspaceRoles.map((role) => ({ value: role.id, label: role.name }))}
              value={entry.roleId}
              onChange={(roleId) => setWorkspaceRole(index, { ...entry, roleId })}
            />
            <Button size="sm" onClick={() => setWorkspaceRole(index, null)}>
              Remove
            </Button>
          </div>
        ))}
        {freeWorkspace ? (
          <Button
            onClick={() =>
              onChange({
                ...value,
                workspaceRoles: [
                  ...value.workspaceRoles,
                  { workspaceId: freeWorkspace.id, roleId: defaultWorkspaceRole },
                ],
              })
            }
          >
            Add workspace role
          </Button>
        ) : (
          <p className="field-hint">
            {options.workspaces.length === 0 ? 'No workspaces yet.' : 'A role in every workspace is chosen.'}
          </p>
        )}
      </fieldset>
    </>
  );
}
