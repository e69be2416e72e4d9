import { useState, type FormEvent, type ReactNode } from 'react';
import { Alert } from './Alert';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { Field } from './Field';
import { formErrors } from './formErrors';

export interface ConfirmDialogProps {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** The button that leaves without acting; named differently where "Cancel" would be ambiguous. */
  cancelLabel?: string;
  tone?: 'primary' | 'danger';
  /** When set, the confirm button waits until exactly this text is typed (for the most destructive actions). */
  typeToConfirm?: string;
  /** Runs the action; a thrown error is shown in the dialog, which stays open. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Asks before an action, runs it, and shows why it failed if it did. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  tone = 'danger',
  typeToConfirm,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = !typeToConfirm || typed === typeToConfirm;

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (caught) {
      setError(formErrors(caught, []).form);
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose} dismissible={!busy}>
      <form className="form" onSubmit={handleSubmit} noValidate>
        {error && <Alert tone="error">{error}</Alert>}
        {children}
        {typeToConfirm && (
          <Field
            label={`Type ${typeToConfirm} to confirm`}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        )}
        <div className="dialog-actions">
          <Button onClick={onClose} disabled={busy}>
            {cancelLabel}
          </Button>
          <Button type="submit" variant={tone} disabled={!ready} busy={busy}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
