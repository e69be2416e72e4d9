import { useCallback } from 'react';
import { useMutation } from '@apollo/client/react';
import {
  UpdateProfileDocument,
  type UpdateProfileInput,
  type UpdateProfileMutation,
} from '@gatehouse/shared/generated';
import { useViewer } from '../../../app/viewer';

/**
 * Saves part of the profile. The answer carries the whole user, so the cached viewer (and with it
 * the header and the theme) follows at once; `optimistic` applies the change before the server answers.
 */
export function useUpdateProfile() {
  const { user } = useViewer();
  const [mutate] = useMutation(UpdateProfileDocument);
  return useCallback(
    async (input: UpdateProfileInput, { optimistic = false } = {}) => {
      await mutate({
        variables: { input },
        optimisticResponse: optimistic
          ? // The generated types omit __typename, which the cache needs to find the user.
            ({
              updateProfile: {
                __typename: 'User',
                id: user.id,
                username: input.username ?? user.username,
                firstName: input.firstName ?? user.firstName,
                lastName: input.lastName ?? user.lastName,
                theme: input.theme ?? user.theme,
              },
            } as UpdateProfileMutation)
          : undefined,
      });
    },
    [mutate, user],
  );
}
