import { useId, useState, type KeyboardEvent } from 'react';
import { errorMessage } from './formErrors';
import { Spinner } from './Spinner';

export interface EditableTextProps {
  value: string;
  /** What the value is, e.g. "Name": labels the input and the edit hint. */
  label: string;
  /** The input field the server reports errors for, e.g. "name". */
  field: string;
  /** Saves the new value; a thrown error is shown under the input, which stays open. */
  onSave: (value: string) => Promise<unknown>;
  /** Checked before saving; a message keeps the input open. */
  validate?: (value: string) => string | null;
  maxLength?: number;
  /** Shown in place of an empty value. */
  placeholder?: string;
  /** Read-only: shown as plain text. */
  disabled?: boolean;
}

/**
 * Text edited in place: double-click (or Enter/F2 when focused) opens an input; Enter saves,
 * Escape cancels.
 */
export function EditableText({
  value,
  label,
  field,
  onSave,
  validate,
  maxLength,
  placeholder = '—',
  disabled = false,
}: EditableTextProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const errorId = useId();

  if (disabled) return <span className={value ? undefined : 'text-subtle'}>{value || placeholder}</span>;

  function cancel() {
    setDraft(null);
    setError(null);
  }

  async function save(next: string) {
    if (next === value) return cancel();
    const invalid = validate?.(next);
    if (invalid) return setError(invalid);
    setSaving(true);
    try {
      await onSave(next);
      cancel();
    } catch (caught) {
      setError(errorMessage(caught, field));
    } finally {
      setSaving(false);
    }
  }

  function onInputKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      void save(event.currentTarget.value);
    } else if (event.key === 'Escape') {
      // Only the edit ends, not a dialog or menu around it.
      event.preventDefault();
      event.stopPropagation();
      cancel();
    }
  }

  if (draft === null) {
    return (
      <span
        className={['editable', value ? null : 'text-subtle'].filter(Boolean).join(' ')}
        tabIndex={0}
        role="button"
        // The shown text is part of the name, so speech-input users can say what they see.
        aria-label={`${label}: ${value || placeholder}. Double-click or press Enter to edit`}
        title="Double-click to edit"
        onDoubleClick={() => setDraft(value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === 'F2') {
            event.preventDefault();
            setDraft(value);
          }
        }}
      >
        {value || placeholder}
      </span>
    );
  }

  return (
    <span className="editable-editing">
      <span className="editable-input-row">
        <input
          className="input input-sm"
          aria-label={label}
          value={draft}
          maxLength={maxLength}
          autoFocus
          disabled={saving}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            setDraft(event.target.value);
            setError(null);
          }}
          onKeyDown={onInputKeyDown}
          // Leaving an unchanged input closes it; a changed one waits for Enter or Escape.
          onBlur={(event) => {
            if (event.currentTarget.value === value) cancel();
          }}
        />
        {saving && <Spinner label="Saving" />}
      </span>
      {error ? (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      ) : (
        <span className="field-hint">Enter to save, Escape to cancel</span>
      )}
    </span>
  );
}
