import { RoleList } from './components/RoleList';

export default function RolesPage() {
  return (
    <div className="page">
      <RoleList />
    </div>
  );
}
