import { useId, useState } from 'react';
import { Button } from './Button';
import { CheckIcon, CopyIcon } from './icons';

/**
 * A secret shown once: the value, a copy button, and the "I have saved it" checkbox the owner
 * waits for before letting the secret disappear.
 */
export function SecretReveal({
  secret,
  label,
  saved,
  onSavedChange,
  kept = 'Gatehouse keeps only a hash of it.',
}: {
  secret: string;
  /** What the secret is, e.g. "API key". */
  label: string;
  /** How Gatehouse keeps the secret, which is why it cannot show it again. */
  kept?: string;
  saved: boolean;
  onSavedChange: (saved: boolean) => void;
}) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const valueId = useId();
  const checkboxId = useId();

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): the value stays selectable.
      setCopied(false);
    }
  }

  return (
    <div className="secret-reveal">
      <p className="secret-warning">
        Copy this {label} now. It will not be shown again: {kept}
      </p>
      <div className="secret-row">
        <code id={valueId} className="secret-value" data-testid="secret-value" aria-label={label}>
          {secret}
        </code>
        <Button size="sm" onClick={() => void copy()} aria-describedby={valueId}>
          {copied ? <CheckIcon /> : <CopyIcon />}
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <p className="secret-copy-status" aria-live="polite">
        {copied === false && 'Copying was not allowed here: select the key and copy it yourself.'}
      </p>
      <label className="checkbox" htmlFor={checkboxId}>
        <input
          id={checkboxId}
          type="checkbox"
          checked={saved}
          onChange={(event) => onSavedChange(event.target.checked)}
        />
        I have saved this key
      </label>
    </div>
  );
}
