import { useState, type FormEvent } from 'react';
import { LIMITS } from '@gatehouse/shared';
import type { DateFormat, OrganizationSettingsFieldsFragment, TimeFormat } from '@gatehouse/shared/generated';
import { hasPermission, useViewer } from '../../app/viewer';
import { Alert } from '../../ui/Alert';
import { focusFirstInvalid } from '../../ui/focusFirstInvalid';
import { useToast } from '../../ui/Toast';
import { Button } from '../../ui/Button';
import { formatDate, formatTime } from '../../ui/dates';
import { Field } from '../../ui/Field';
import { formErrors } from '../../ui/formErrors';
import { Section } from '../../ui/Section';
import { SegmentedControl } from '../../ui/SegmentedControl';
import { LogoField } from './LogoField';
import { SettingsPageFrame } from './SettingsPageFrame';
import type { useOrganizationSettings } from './useOrganizationSettings';

export default function GeneralPage() {
  return (
    <SettingsPageFrame>
      {(settings, api) => <GeneralForm settings={settings} save={api.save} saving={api.saving} />}
    </SettingsPageFrame>
  );
}

function GeneralForm({
  settings,
  save,
  saving,
}: {
  settings: OrganizationSettingsFieldsFragment;
  save: ReturnType<typeof useOrganizationSettings>['save'];
  saving: boolean;
}) {
  const canManage = hasPermission(useViewer(), 'settings:manage');
  const [name, setName] = useState(settings.general.name);
  const [dateFormat, setDateFormat] = useState<DateFormat>(settings.general.dateFormat);
  const [timeFormat, setTimeFormat] = useState<TimeFormat>(settings.general.timeFormat);
  const [result, setResult] = useState<{ tone: 'error'; text: string; field?: string } | null>(null);
  const toast = useToast();
  const now = new Date();

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    setResult(null);
    if (!name.trim()) {
      setResult({ tone: 'error', text: 'The organization needs a name.', field: 'name' });
      return focusFirstInvalid(formElement);
    }
    try {
      await save({ general: { name: name.trim(), dateFormat, timeFormat } });
      toast({ text: 'Saved. Dates everywhere now use these formats.' });
    } catch (caught) {
      const { fields, form } = formErrors(caught, ['general.name', 'name']);
      const fieldError = fields['general.name'] ?? fields.name;
      setResult({
        tone: 'error',
        text: fieldError ?? form ?? 'Could not save.',
        field: fieldError ? 'name' : undefined,
      });
      focusFirstInvalid(formElement);
    }
  }

  return (
    <Section
      title="General"
      description="How your organization appears, and how dates and times are written across Gatehouse."
    >
      <form className="form" onSubmit={handleSubmit} noValidate>
        {result && !result.field && <Alert tone={result.tone}>{result.text}</Alert>}
        <Field
          label="Organization name"
          value={name}
          maxLength={LIMITS.organizationNameMaxLength}
          readOnly={!canManage}
          error={result?.field === 'name' ? result.text : null}
          onChange={(event) => setName(event.target.value)}
        />
        <LogoField canManage={canManage} />
        <fieldset className="fieldset" disabled={!canManage}>
          <legend className="field-label">Date format</legend>
          <SegmentedControl
            label="Date format"
            value={dateFormat}
            onChange={setDateFormat}
            options={[
              { value: 'MM_DD_YYYY', label: `MM/DD/YYYY (${formatDate(now, 'MM_DD_YYYY')})` },
              { value: 'DD_MM_YYYY', label: `DD/MM/YYYY (${formatDate(now, 'DD_MM_YYYY')})` },
            ]}
          />
        </fieldset>
        <fieldset className="fieldset" disabled={!canManage}>
          <legend className="field-label">Time format</legend>
          <SegmentedControl
            label="Time format"
            value={timeFormat}
            onChange={setTimeFormat}
            options={[
              { value: 'H12', label: `12-hour (${formatTime(now, 'H12')})` },
              { value: 'H24', label: `24-hour (${formatTime(now, 'H24')})` },
            ]}
          />
        </fieldset>
        {canManage && (
          <div className="form-actions form-actions-start">
            <Button type="submit" variant="primary" busy={saving}>
              Save changes
            </Button>
          </div>
        )}
      </form>
    </Section>
  );
}
