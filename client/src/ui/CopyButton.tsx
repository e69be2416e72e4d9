import { useState } from 'react';
import { Button } from './Button';
import { CheckIcon, CopyIcon } from './icons';

/** Copies a value shown next to it; `label` names it for screen readers ("Copy record name"). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): the value stays selectable.
      setCopied(false);
    }
  }

  return (
    <Button
      size="sm"
      onClick={() => void copy()}
      aria-label={label}
      title={copied === false ? 'Select and copy it yourself' : undefined}
    >
      {copied ? <CheckIcon /> : <CopyIcon />}
      {copied ? 'Copied' : 'Copy'}
    </Button>
  );
}
