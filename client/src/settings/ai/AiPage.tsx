import { useState } from 'react';
import { hasPermission, useViewer } from '../../app/viewer';
import { Alert } from '../../ui/Alert';
import { formErrors } from '../../ui/formErrors';
import { Section } from '../../ui/Section';
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
  const [result, setResult] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  async function change(next: boolean) {
    setOn(next);
    try {
      await save({ ai: { copilotTestDataAccess: next } });
      setResult({ tone: 'success', text: next ? 'Test data access is on.' : 'Test data access is off.' });
    } catch (caught) {
      setOn(!next);
      setResult({ tone: 'error', text: formErrors(caught, []).form ?? 'Could not save.' });
    }
  }

  return (
    <Section
      title="Builder Copilot"
      description="Builder Copilot suggests workspace content and automations to Builders."
    >
      <div className="form">
        {result && <Alert tone={result.tone}>{result.text}</Alert>}
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
