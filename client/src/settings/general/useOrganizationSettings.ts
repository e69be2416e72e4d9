import { useMutation, useQuery } from '@apollo/client/react';
import {
  OrganizationSettingsDocument,
  UpdateOrganizationSettingsDocument,
  ViewerDocument,
  type UpdateOrganizationSettingsInput,
} from '@gatehouse/shared/generated';

/**
 * The organization's settings and the one way to change them. Saving refreshes the viewer, whose
 * organization name and date and time formats the whole UI reads.
 */
export function useOrganizationSettings() {
  const query = useQuery(OrganizationSettingsDocument);
  const [mutate, { loading: saving }] = useMutation(UpdateOrganizationSettingsDocument, {
    refetchQueries: [ViewerDocument],
  });
  const save = (input: UpdateOrganizationSettingsInput) => mutate({ variables: { input } });
  return { settings: query.data?.organizationSettings, error: query.error, refetch: query.refetch, save, saving };
}
