import type { ReactNode } from 'react';
import type { OrganizationSettingsFieldsFragment } from '@gatehouse/shared/generated';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formErrors } from '../../ui/formErrors';
import { Spinner } from '../../ui/Spinner';
import { useOrganizationSettings } from './useOrganizationSettings';

/** Loads the settings once for a settings tab, with the loading and error states every tab shares. */
export function SettingsPageFrame({
  children,
}: {
  children: (
    settings: OrganizationSettingsFieldsFragment,
    api: ReturnType<typeof useOrganizationSettings>,
  ) => ReactNode;
}) {
  const api = useOrganizationSettings();
  if (api.error) {
    return (
      <div className="page load-error">
        <Alert tone="error">{formErrors(api.error, []).form}</Alert>
        <Button onClick={() => void api.refetch()}>Try again</Button>
      </div>
    );
  }
  if (!api.settings) {
    return (
      <div className="page-loading">
        <Spinner label="Loading settings" />
      </div>
    );
  }
  return <div className="page">{children(api.settings, api)}</div>;
}
