import type { ReactNode } from 'react';

export interface Column<T> {
  /** Names the column for React and its cells' `data-column` attribute. */
  key: string;
  /** The column's name; on narrow screens, where rows become cards, it labels each cell. */
  header: string;
  /** Named for assistive technology only, e.g. the row-menu column. */
  hideHeader?: boolean;
  cell: (row: T) => ReactNode;
  /** Extra class for the column's cells, e.g. "cell-nowrap" or "cell-actions". */
  className?: string;
}

/**
 * A table of rows with the app's table styling; `caption` names it for assistive technology.
 * Where its container is narrow (a phone, a dialog) each row is drawn as a card instead: the
 * first column is the card's title, the row menu its top-right corner, the other cells labelled.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  empty,
}: {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode;
}) {
  if (rows.length === 0) return <div className="empty-state">{empty}</div>;
  return (
    <div className="data-table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.className}>
                {column.hideHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td
                  key={column.key}
                  className={column.className}
                  data-column={column.key}
                  data-label={column.hideHeader ? undefined : column.header}
                >
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
