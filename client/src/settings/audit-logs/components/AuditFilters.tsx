import { useState, type FormEvent } from 'react';
import { AUDIT_SEARCH_MAX_LENGTH } from '@gatehouse/shared';
import type { AuditCategory, AuditEventFilter, PrincipalOptionsQuery } from '@gatehouse/shared/generated';
import { Button } from '../../../ui/Button';
import { DateField } from '../../../ui/DateField';
import { Field } from '../../../ui/Field';
import { SelectField } from '../../../ui/SelectField';

export const CATEGORY_LABELS: Record<AuditCategory, string> = {
  USER_ACTIONS: 'User actions',
  SETTING_UPDATES: 'Setting updates',
  SYSTEM_CONFIGURATION: 'System configuration',
};

/** The URL's query parameters (so a filtered view can be shared) and the filter field each sets. */
const PARAMS = ['category', 'action', 'actor', 'target', 'workspace', 'outcome', 'from', 'to', 'q'] as const;

const dayStart = (day: string, offsetDays = 0) => {
  const date = new Date(`${day}T00:00`);
  date.setDate(date.getDate() + offsetDays);
  return date.toISOString();
};

/** The filter of the URL: dates are whole local days, the "to" day included. */
export function filterFromParams(params: URLSearchParams): AuditEventFilter {
  const value = (name: (typeof PARAMS)[number]) => params.get(name) || null;
  const category = value('category') as AuditCategory | null;
  const outcome = value('outcome');
  return {
    categories: category ? [category] : null,
    actions: value('action') ? [value('action')!] : null,
    actorId: value('actor'),
    targetId: value('target'),
    workspaceId: value('workspace'),
    outcome: outcome === 'SUCCESS' || outcome === 'FAILURE' ? outcome : null,
    from: value('from') ? dayStart(value('from')!) : null,
    to: value('to') ? dayStart(value('to')!, 1) : null,
    search: value('q'),
  };
}

/** The export route with the same filters as the table. */
export function exportHref(format: 'csv' | 'ndjson', params: URLSearchParams): string {
  const filter = filterFromParams(params);
  const query = new URLSearchParams({ format });
  for (const [name, value] of Object.entries(filter)) {
    if (value !== null && value !== undefined) query.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  return `/api/audit-events/export?${query}`;
}

export function AuditFilters({
  params,
  onChange,
  workspaces,
  principals,
}: {
  params: URLSearchParams;
  onChange: (params: URLSearchParams) => void;
  workspaces: readonly { id: string; name: string }[];
  principals: PrincipalOptionsQuery | undefined;
}) {
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [action, setAction] = useState(params.get('action') ?? '');

  function set(changes: Partial<Record<(typeof PARAMS)[number], string>>) {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    onChange(next);
  }

  function applyText(event: FormEvent) {
    event.preventDefault();
    set({ q: search.trim(), action: action.trim() });
  }

  const actors = [
    ...(principals?.members.nodes.flatMap((member) =>
      member.user
        ? [
            {
              value: member.user.id,
              label: [member.user.firstName, member.user.lastName].join(' ').trim() || member.email,
            },
          ]
        : [],
    ) ?? []),
    ...(principals?.serviceAccounts.map((account) => ({
      value: account.id,
      label: `${account.name} (service account)`,
    })) ?? []),
  ];
  const active = PARAMS.some((name) => params.get(name));

  return (
    <form className="audit-filters" onSubmit={applyText} noValidate>
      <Field
        label="Search"
        type="search"
        placeholder="Action, actor, target, IP or request id"
        maxLength={AUDIT_SEARCH_MAX_LENGTH}
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        onBlur={() => set({ q: search.trim() })}
      />
      <Field
        label="Action"
        placeholder="e.g. apiKey.revoked"
        maxLength={100}
        value={action}
        onChange={(event) => setAction(event.target.value)}
        onBlur={() => set({ action: action.trim() })}
      />
      <SelectField
        label="Category"
        value={params.get('category') ?? ''}
        onChange={(category) => set({ category })}
        options={[
          { value: '', label: 'All categories' },
          ...Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label })),
        ]}
      />
      <SelectField
        label="Outcome"
        value={params.get('outcome') ?? ''}
        onChange={(outcome) => set({ outcome })}
        options={[
          { value: '', label: 'Any outcome' },
          { value: 'SUCCESS', label: 'Success' },
          { value: 'FAILURE', label: 'Failure' },
        ]}
      />
      <SelectField
        label="Actor"
        value={params.get('actor') ?? ''}
        onChange={(actor) => set({ actor })}
        options={[{ value: '', label: 'Anyone' }, ...actors]}
      />
      <SelectField
        label="Workspace"
        value={params.get('workspace') ?? ''}
        onChange={(workspace) => set({ workspace })}
        options={[
          { value: '', label: 'Any workspace' },
          ...workspaces.map((workspace) => ({ value: workspace.id, label: workspace.name })),
        ]}
      />
      <DateField label="From" value={params.get('from') ?? ''} onChange={(from) => set({ from })} />
      <DateField label="To" value={params.get('to') ?? ''} onChange={(to) => set({ to })} />
      <div className="audit-filters-actions">
        {params.get('target') && (
          <span className="filter-chip">
            Target {params.get('target')}
            <button type="button" aria-label="Stop filtering by target" onClick={() => set({ target: '' })}>
              ×
            </button>
          </span>
        )}
        <Button type="submit">Apply</Button>
        {active && (
          <Button
            onClick={() => {
              setSearch('');
              setAction('');
              onChange(new URLSearchParams());
            }}
          >
            Clear filters
          </Button>
        )}
      </div>
    </form>
  );
}
