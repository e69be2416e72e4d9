import { useViewer } from '../../app/viewer';
import { ChangePasswordSection } from './components/ChangePasswordSection';
import { ConnectedSignInMethodsSection } from './components/ConnectedSignInMethodsSection';
import { DangerZoneSection } from './components/DangerZoneSection';
import { PasskeysSection } from './components/PasskeysSection';
import { PersonalDetailsSection } from './components/PersonalDetailsSection';
import { SecurityLogSection, SessionsSection } from './components/SessionsSection';
import { ThemeSection } from './components/ThemeSection';
import { TwoFactorSection } from './components/TwoFactorSection';

export default function ProfilePage() {
  const { user } = useViewer();
  return (
    <div className="page">
      {/* Keyed by user: the autosaved fields start from these values and must not carry over to another account. */}
      <PersonalDetailsSection key={user.id} />
      {user.hasPassword && <ChangePasswordSection />}
      {user.hasPassword && <TwoFactorSection />}
      {user.hasPassword && <PasskeysSection />}
      <ConnectedSignInMethodsSection />
      <ThemeSection />
      <SessionsSection />
      <SecurityLogSection />
      <DangerZoneSection />
    </div>
  );
}
