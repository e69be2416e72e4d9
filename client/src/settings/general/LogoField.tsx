import { useId, useRef, useState, type ChangeEvent } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { LOGO_MAX_BYTES } from '@gatehouse/shared';
import { ViewerDocument } from '@gatehouse/shared/generated';
import { useViewer } from '../../app/viewer';
import { Button } from '../../ui/Button';

/** Uploads or removes the organization's logo; the server checks the image again by its content. */
export function LogoField({ canManage }: { canManage: boolean }) {
  const { organization } = useViewer();
  const client = useApolloClient();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  async function send(method: 'PUT' | 'DELETE', body?: File) {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch('/api/organization/logo', { method, body, credentials: 'same-origin' });
      if (!response.ok) {
        const answer = (await response.json().catch(() => null)) as { errors?: { message: string }[] } | null;
        setError(answer?.errors?.[0]?.message ?? 'Could not save the logo.');
        return;
      }
      await client.refetchQueries({ include: [ViewerDocument] });
    } catch {
      setError('Gatehouse could not be reached. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  }

  function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > LOGO_MAX_BYTES) return setError('The logo can be at most 2 MB.');
    void send('PUT', file);
  }

  return (
    <div className="field">
      <span className="field-label">Logo</span>
      <div className="logo-row">
        {organization.logoUrl ? (
          <img
            className="org-avatar org-logo logo-preview"
            src={organization.logoUrl}
            alt={`${organization.name} logo`}
          />
        ) : (
          <span className="org-avatar logo-preview" aria-hidden="true">
            {organization.name.charAt(0).toUpperCase()}
          </span>
        )}
        {canManage && (
          <>
            <input
              ref={input}
              type="file"
              accept="image/png,image/jpeg"
              className="visually-hidden"
              aria-label="Logo file"
              aria-describedby={error ? errorId : undefined}
              onChange={choose}
            />
            <Button busy={busy} onClick={() => input.current?.click()}>
              {organization.logoUrl ? 'Replace logo' : 'Upload logo'}
            </Button>
            {organization.logoUrl && (
              <Button disabled={busy} onClick={() => void send('DELETE')}>
                Remove
              </Button>
            )}
          </>
        )}
      </div>
      <p className="field-hint">PNG or JPEG, up to 2 MB. It appears in the header for everyone in the organization.</p>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
