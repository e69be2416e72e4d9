import { useSearchParams } from 'react-router-dom';
import { hasPermission, useViewer } from '../../app/viewer';
import { SegmentedControl, type SegmentedOption } from '../../ui/SegmentedControl';
import { MemberList } from './components/MemberList';
import { ServiceAccountList } from './components/ServiceAccountList';

type View = 'people' | 'service-accounts';

const VIEWS: readonly SegmentedOption<View>[] = [
  { value: 'people', label: 'People' },
  { value: 'service-accounts', label: 'Service accounts' },
];

export default function UsersPage() {
  const viewer = useViewer();
  const [params, setParams] = useSearchParams();
  const canSeeServiceAccounts = hasPermission(viewer, 'serviceAccounts:read');
  const view: View = canSeeServiceAccounts && params.get('view') === 'service-accounts' ? 'service-accounts' : 'people';
  return (
    <div className="page">
      {canSeeServiceAccounts && (
        <SegmentedControl
          label="Show"
          options={VIEWS}
          value={view}
          onChange={(next) => setParams(next === 'people' ? {} : { view: next }, { replace: true })}
        />
      )}
      {view === 'people' ? <MemberList /> : <ServiceAccountList />}
    </div>
  );
}
