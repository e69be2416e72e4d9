import type { WorkspaceAssignmentFieldsFragment } from '@gatehouse/shared/generated';

/** Workspace roles as a compact list: "Workspace · Role (via Group)". */
export function AssignmentList({ assignments }: { assignments: readonly WorkspaceAssignmentFieldsFragment[] }) {
  if (assignments.length === 0) return <span className="text-subtle">None</span>;
  return (
    <ul className="inline-list">
      {assignments.map((assignment) => (
        <li key={`${assignment.workspace.id}-${assignment.viaGroup?.id ?? 'direct'}`}>
          {assignment.workspace.name} · {assignment.role.name}
          {assignment.viaGroup && <span className="cell-sub"> via {assignment.viaGroup.name}</span>}
        </li>
      ))}
    </ul>
  );
}

/** Names joined, or a subtle "None". */
export function NameList({ items }: { items: readonly { id: string; name: string }[] }) {
  if (items.length === 0) return <span className="text-subtle">None</span>;
  return <span>{items.map((item) => item.name).join(', ')}</span>;
}
