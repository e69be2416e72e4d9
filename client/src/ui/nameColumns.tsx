import type { ReactNode } from 'react';
import { LIMITS, nameProblem } from '@gatehouse/shared';
import type { Column } from './DataTable';
import { EditableText } from './EditableText';

interface Named {
  id: string;
  name: string;
  description: string;
}

/**
 * The Name and Description columns of a table of named things, edited in place where the viewer
 * may (`canEdit`, for every row or per row). `nameBadge` adds a badge after the name.
 */
export function nameColumns<T extends Named>({
  canEdit,
  nameMaxLength = LIMITS.nameMaxLength,
  save,
  nameBadge,
}: {
  canEdit: boolean | ((row: T) => boolean);
  nameMaxLength?: number;
  save: (row: T, change: { name: string } | { description: string }) => Promise<unknown>;
  nameBadge?: (row: T) => ReactNode;
}): Column<T>[] {
  const editable = (row: T) => (typeof canEdit === 'function' ? canEdit(row) : canEdit);
  return [
    {
      key: 'name',
      header: 'Name',
      cell: (row) => (
        <span className="cell-with-badge">
          <EditableText
            value={row.name}
            label="Name"
            field="name"
            maxLength={nameMaxLength}
            validate={nameProblem}
            disabled={!editable(row)}
            onSave={(name) => save(row, { name })}
          />
          {nameBadge?.(row)}
        </span>
      ),
    },
    {
      key: 'description',
      header: 'Description',
      cell: (row) => (
        <EditableText
          value={row.description}
          label="Description"
          field="description"
          maxLength={LIMITS.descriptionMaxLength}
          placeholder={editable(row) ? 'Add a description' : '—'}
          disabled={!editable(row)}
          onSave={(description) => save(row, { description })}
        />
      ),
    },
  ];
}
