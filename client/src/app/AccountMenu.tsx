import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { SignOutDocument } from '@gatehouse/shared/generated';
import { Button } from '../ui/Button';
import { displayName, useViewer } from './viewer';

export function AccountMenu() {
  const viewer = useViewer();
  const [signOut, { loading }] = useMutation(SignOutDocument);
  const [failed, setFailed] = useState(false);
  const name = displayName(viewer);
  const initials =
    [viewer.user.firstName, viewer.user.lastName].map((part) => part.charAt(0)).join('') || name.charAt(0);

  async function handleSignOut() {
    setFailed(false);
    try {
      await signOut();
    } catch {
      setFailed(true);
      return;
    }
    // A fresh page load drops everything cached for this account at once. Not resetStore(): it
    // refetches the open tab's queries, which the switch to sign-in then aborts, and that
    // rejection surfaced in the page as an uncaught "The operation was aborted.".
    window.location.assign('/signin');
  }

  return (
    <div className="account">
      <span className="avatar" aria-hidden="true">
        {initials.toUpperCase()}
      </span>
      <span className="account-text">
        <span className="account-name">{name}</span>
        <span className="account-email">{viewer.user.email}</span>
      </span>
      <Button size="sm" onClick={handleSignOut} busy={loading}>
        Sign out
      </Button>
      {failed && (
        <span className="account-error" role="alert">
          Could not sign out. Try again.
        </span>
      )}
    </div>
  );
}
