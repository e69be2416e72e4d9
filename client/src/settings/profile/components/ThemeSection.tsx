import { useState } from 'react';
import type { ThemeName } from '@gatehouse/shared';
import { useViewer } from '../../../app/viewer';
import { errorMessage } from '../../../ui/formErrors';
import { MonitorIcon, MoonIcon, SunIcon } from '../../../ui/icons';
import { SaveStatus } from '../../../ui/SaveStatus';
import { SegmentedControl, type SegmentedOption } from '../../../ui/SegmentedControl';
import { Section } from '../../../ui/Section';
import type { AutosaveState } from '../../../ui/useAutosave';
import { useUpdateProfile } from './useUpdateProfile';

const OPTIONS: readonly SegmentedOption<ThemeName>[] = [
  { value: 'LIGHT', label: 'Light', icon: <SunIcon /> },
  { value: 'DARK', label: 'Dark', icon: <MoonIcon /> },
  { value: 'SYSTEM', label: 'System', icon: <MonitorIcon /> },
];

export function ThemeSection() {
  const { user } = useViewer();
  const updateProfile = useUpdateProfile();
  const [state, setState] = useState<AutosaveState>({ status: 'idle' });

  // Optimistic: the cached viewer changes at once, so the app re-themes before the server answers,
  // and rolls back by itself if the save fails.
  async function choose(theme: ThemeName) {
    setState({ status: 'saving' });
    try {
      await updateProfile({ theme }, { optimistic: true });
      setState({ status: 'saved' });
    } catch (caught) {
      setState({ status: 'error', message: errorMessage(caught, 'theme') });
    }
  }

  return (
    <Section title="Appearance" description="Choose how Gatehouse looks to you. System follows your device's setting.">
      <div className="inline-control">
        <SegmentedControl label="Theme" options={OPTIONS} value={user.theme} onChange={(theme) => void choose(theme)} />
        <SaveStatus state={state} testId="theme-save-status" />
      </div>
      {state.status === 'error' && (
        <p className="field-error" role="alert">
          {state.message}
        </p>
      )}
    </Section>
  );
}
