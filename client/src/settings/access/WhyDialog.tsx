import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { PERMISSION_CATALOG, isWorkspacePermission } from '@gatehouse/shared';
import { ExplainAccessDocument } from '@gatehouse/shared/generated';
import { Badge } from '../../ui/Badge';
import { Dialog } from '../../ui/Dialog';
import { useFormatDateTime } from '../../ui/dates';
import { QueryResult } from '../../ui/QueryResult';
import { SelectField } from '../../ui/SelectField';

/**
 * "Why can they?": picks a permission (and a workspace for a workspace permission) and shows
 * whether the principal holds it and every path that gives it, with when each ends.
 */
export function WhyDialog({
  principalId,
  name,
  workspaces,
  initialWorkspaceId,
  onClose,
}: {
  principalId: string;
  name: string;
  workspaces: readonly { id: string; name: string }[];
  initialWorkspaceId?: string;
  onClose: () => void;
}) {
  const [permission, setPermission] = useState(initialWorkspaceId ? 'workspace:use' : 'members:manage');
  const [workspaceId, setWorkspaceId] = useState(initialWorkspaceId ?? workspaces[0]?.id ?? '');
  const inWorkspace = isWorkspacePermission(permission);
  const formatDateTime = useFormatDateTime();
  const { data, error, refetch } = useQuery(ExplainAccessDocument, {
    variables: { principalId, permission, workspaceId: inWorkspace ? workspaceId : null },
    skip: inWorkspace && !workspaceId,
    fetchPolicy: 'network-only',
  });

  return (
    <Dialog title={`Why can ${name}?`} onClose={onClose}>
      <div className="form">
        <SelectField
          label="Permission"
          value={permission}
          onChange={setPermission}
          options={PERMISSION_CATALOG.map((entry) => ({
            value: entry.name,
            label: `${entry.name} — ${entry.description}`,
          }))}
        />
        {inWorkspace && (
          <SelectField
            label="Workspace"
            value={workspaceId}
            onChange={setWorkspaceId}
            options={workspaces.map((workspace) => ({ value: workspace.id, label: workspace.name }))}
          />
        )}
        {inWorkspace && !workspaceId ? (
          <p>There is no workspace you can see to ask about.</p>
        ) : (
          <QueryResult error={error} data={data} loadingLabel="Explaining" onRetry={() => void refetch()}>
            {({ explainAccess }) => (
              <div className="why" aria-live="polite">
                <p>
                  <Badge tone={explainAccess.allowed ? 'success' : 'neutral'}>
                    {explainAccess.allowed ? 'Allowed' : 'Not allowed'}
                  </Badge>{' '}
                  {explainAccess.deniedBecause}
                </p>
                {explainAccess.paths.length > 0 && (
                  <ul className="why-paths">
                    {explainAccess.paths.map((path, index) => (
                      <li key={index}>
                        {path.description}
                        {path.expiresAt && <span className="cell-sub"> Until {formatDateTime(path.expiresAt)}.</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </QueryResult>
        )}
      </div>
    </Dialog>
  );
}
