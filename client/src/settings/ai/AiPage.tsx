import { useState } from 'react';
import { hasPermission, useViewer } from '../../app/viewer';
import { Alert } from '../../ui/Alert';
import { formErrors } from '../../ui/formErrors';
import { Section } from '../../ui/Section';
import { useToast } from '../../ui/Toast';
import { SettingsPageFrame } from '../general/SettingsPageFrame';
import type { useOrganizationSettings } from '../general/useOrganizationSettings';

export default function AiPage() {
  return (
    <SettingsPageFrame>
      {(settings, { save }) => <CopilotToggle initial={settings.ai.copilotTestDataAccess} save={save} />}
    </SettingsPageFrame>
  );
}

/** Saves on every change; the box shows the new state at once and goes back if saving fails. */
function CopilotToggle({
  initial,
  save,
}: {
  initial: boolean;
  save: ReturnType<typeof useOrganizationSettings>['save'];
}) {
  const canManage = hasPermission(useViewer(), 'settings:manage');
  const [on, setOn] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();

  async function change(next: boolean) {
    setOn(next);
    setError(null);
    try {
      await save({ ai: { copilotTestDataAccess: next } });
      toast({ text: next ? 'Test data access is on.' : 'Test data access is off.' });
    } catch (caught) {
      setOn(!next);
      setError(formErrors(caught, []).form ?? 'Could not save.');
    }
  }

  return (
    <Section
      title="Builder Copilot"
      description="Builder Copilot suggests workspace content and automations to Builders."
    >
      <div className="form">
        {error && <Alert tone="error">{error}</Alert>}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={on}
            disabled={!canManage}
            onChange={(event) => void change(event.target.checked)}
          />
          Builder Copilot test data access
        </label>
        <p className="field-hint">
          When on, Builder Copilot may use the test data of the workspaces a Builder works in to make its suggestions.
          Off by default. Other services read this setting through the API (
          <code>organizationSettings.ai.copilotTestDataAccess</code>).
        </p>
      </div>
    </Section>
  );
}
