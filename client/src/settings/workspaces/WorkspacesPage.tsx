import { WorkspaceList } from './components/WorkspaceList';

export default function WorkspacesPage() {
  return (
    <div className="page">
      <WorkspaceList />
    </div>
  );
}
