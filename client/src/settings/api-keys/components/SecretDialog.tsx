import { useState } from 'react';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { SecretReveal } from '../../../ui/SecretReveal';

/** Shows a newly issued secret once; it closes only after the owner says the secret is saved. */
export function SecretDialog({
  title,
  secret,
  label = 'API key',
  onDone,
}: {
  title: string;
  secret: string;
  /** What the secret is, for the reveal's labels. */
  label?: string;
  onDone: () => void;
}) {
  const [saved, setSaved] = useState(false);
  return (
    <Dialog
      title={title}
      onClose={onDone}
      dismissible={false}
      footer={
        <Button variant="primary" disabled={!saved} onClick={onDone}>
          Done
        </Button>
      }
    >
      <SecretReveal secret={secret} label={label} saved={saved} onSavedChange={setSaved} />
    </Dialog>
  );
}
