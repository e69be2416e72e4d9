import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { LIMITS } from '@gatehouse/shared';
import { CreateOrganizationDocument, SwitchOrganizationDocument } from '@gatehouse/shared/generated';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { formErrors } from '../ui/formErrors';
import { CheckIcon, ChevronDownIcon, PlusIcon } from '../ui/icons';
import { useForm } from '../ui/useForm';
import { hasPermission, useViewer } from './viewer';

export function OrganizationSwitcher() {
  const viewer = useViewer();
  const client = useApolloClient();
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [switchOrganization, switching] = useMutation(SwitchOrganizationDocument);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  function close() {
    setOpen(false);
    setCreating(false);
    setError(null);
  }

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) close();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      close();
      toggle.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  // Everything cached belongs to the previous organization: start over from the new viewer.
  async function enterOrganization() {
    close();
    await client.resetStore();
  }

  async function handleSwitch(organizationId: string) {
    if (organizationId === viewer.organization.id) return close();
    setError(null);
    try {
      await switchOrganization({ variables: { organizationId } });
    } catch (caught) {
      setError(formErrors(caught, []).form);
      return;
    }
    await enterOrganization();
  }

  return (
    <div className="org-switcher" ref={root}>
      <button
        ref={toggle}
        type="button"
        className="org-switcher-toggle"
        aria-expanded={open}
        aria-controls="org-switcher-panel"
        onClick={() => (open ? close() : setOpen(true))}
      >
        <OrganizationAvatar organization={viewer.organization} />
        <span className="org-switcher-text">
          <span className="visually-hidden">Organization: </span>
          <span className="org-switcher-name">{viewer.organization.name}</span>
          <span className="org-switcher-role">{viewer.role.name}</span>
        </span>
        <ChevronDownIcon />
      </button>
      {open && (
        <div id="org-switcher-panel" className="popover" role="group" aria-label="Organizations">
          <p className="popover-heading">Switch organization</p>
          <ul className="org-list">
            {viewer.organizations.map((organization) => {
              const current = organization.id === viewer.organization.id;
              return (
                <li key={organization.id}>
                  <button
                    type="button"
                    className="org-option"
                    aria-current={current || undefined}
                    disabled={switching.loading}
                    onClick={() => void handleSwitch(organization.id)}
                  >
                    <OrganizationAvatar organization={organization} small />
                    <span className="org-option-name">{organization.name}</span>
                    {current && <CheckIcon className="org-option-check" />}
                  </button>
                </li>
              );
            })}
          </ul>
          {error && (
            <p className="field-error popover-error" role="alert">
              {error}
            </p>
          )}
          {hasPermission(viewer, 'organizations:create') && (
            <div className="popover-footer">
              {creating ? (
                <CreateOrganizationForm onCreated={enterOrganization} onCancel={() => setCreating(false)} />
              ) : (
                <button type="button" className="org-option" onClick={() => setCreating(true)}>
                  <PlusIcon />
                  <span className="org-option-name">Create organization</span>
                </button>
              )}
            </div>
          )}
        </div>
      )}
    </div>
  );
}

function CreateOrganizationForm({ onCreated, onCancel }: { onCreated: () => Promise<void>; onCancel: () => void }) {
  const form = useForm({ name: '' });
  const [createOrganization, { loading }] = useMutation(CreateOrganizationDocument);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ name: 'Enter a name for the organization.' })) return;
    try {
      await createOrganization({ variables: { input: { name: form.values.name.trim() } } });
    } catch (caught) {
      form.showError(caught);
      return;
    }
    await onCreated();
  }

  return (
    <form className="create-org-form" onSubmit={handleSubmit} noValidate>
      <Field
        label="Organization name"
        maxLength={LIMITS.organizationNameMaxLength}
        autoFocus
        {...form.bind('name')}
        error={form.errors.fields.name ?? form.errors.form}
      />
      <div className="form-actions">
        <Button size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button size="sm" variant="primary" type="submit" busy={loading}>
          Create organization
        </Button>
      </div>
    </form>
  );
}

/** The organization's logo, or its initial on a coloured square when it has none. */
function OrganizationAvatar({
  organization,
  small = false,
}: {
  organization: { name: string; logoUrl: string | null };
  small?: boolean;
}) {
  const className = small ? 'org-avatar org-avatar-sm' : 'org-avatar';
  if (organization.logoUrl) return <img className={`${className} org-logo`} src={organization.logoUrl} alt="" />;
  return (
    <span className={className} aria-hidden="true">
      {organization.name.charAt(0).toUpperCase()}
    </span>
  );
}
