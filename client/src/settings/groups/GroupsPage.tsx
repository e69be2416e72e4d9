import { GroupList } from './components/GroupList';

export default function GroupsPage() {
  return (
    <div className="page">
      <GroupList />
    </div>
  );
}
