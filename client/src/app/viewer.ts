import { createContext, useContext } from 'react';
import type { ApolloClient } from '@apollo/client';
import type { PermissionName } from '@gatehouse/shared';
import { ViewerDocument, type ViewerFieldsFragment } from '@gatehouse/shared/generated';

export type Viewer = ViewerFieldsFragment;

export const ViewerContext = createContext<Viewer | null>(null);

/** The signed-in viewer; only for components rendered inside the settings area. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer() is only available to signed-in pages');
  return viewer;
}

export function hasPermission(viewer: Viewer, permission: PermissionName): boolean {
  return viewer.permissions.includes(permission);
}

/** Makes a viewer returned by a mutation (sign-in, sign-up) the app's current viewer. */
export function storeViewer(client: ApolloClient, viewer: Viewer): void {
  client.writeQuery({ query: ViewerDocument, data: { viewer } });
}

export function displayName(viewer: Viewer): string {
  const { firstName, lastName, username, email } = viewer.user;
  return [firstName, lastName].filter(Boolean).join(' ') || username || email || 'Account';
}
