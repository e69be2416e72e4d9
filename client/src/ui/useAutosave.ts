import { useCallback, useEffect, useRef, useState } from 'react';

export type AutosaveState =
  { status: 'idle' } | { status: 'saving' } | { status: 'saved' } | { status: 'error'; message: string };

export interface AutosaveOptions {
  initial: string;
  delayMs: number;
  /** A message when the value must not be sent, checked on every keystroke. */
  validate?: (value: string) => string | null;
  /** Whether a value that validates is still not worth sending (e.g. an untouched empty field). */
  skip?: (value: string) => boolean;
  save: (value: string) => Promise<void>;
  /** The message for a failed save. */
  describeError: (error: unknown) => string;
}

/**
 * A text value saved a moment after the person stops typing. Saves run one at a time, so an older
 * request can never land after a newer one and overwrite it; a pending save is sent on unmount.
 */
export function useAutosave({ initial, delayMs, validate, skip, save, describeError }: AutosaveOptions) {
  const [value, setValue] = useState(initial);
  const [state, setState] = useState<AutosaveState>({ status: 'idle' });
  const latest = useRef({
    value: initial,
    saved: initial,
    saving: false,
    timer: 0,
    validate,
    skip,
    save,
    describeError,
  });
  // Mutated in place: a save in flight holds on to this object and must see later keystrokes.
  Object.assign(latest.current, { validate, skip, save, describeError });

  const flush = useCallback(async (): Promise<void> => {
    const current = latest.current;
    window.clearTimeout(current.timer);
    current.timer = 0;
    // The running save will flush again when it ends, with whatever was typed meanwhile.
    if (current.saving) return;
    const next = current.value;
    if (next === current.saved || current.validate?.(next) || current.skip?.(next)) return;
    current.saving = true;
    setState({ status: 'saving' });
    try {
      await current.save(next);
      current.saved = next;
      if (current.value === next) setState({ status: 'saved' });
    } catch (error) {
      if (current.value === next) setState({ status: 'error', message: current.describeError(error) });
    } finally {
      current.saving = false;
    }
    // Typed during the save with no save scheduled: send that too. A failed value is not retried.
    if (current.value !== next && !current.timer) await flush();
  }, []);

  const change = useCallback(
    (next: string) => {
      const current = latest.current;
      current.value = next;
      setValue(next);
      window.clearTimeout(current.timer);
      const problem = current.validate?.(next);
      if (problem) {
        current.timer = 0;
        setState({ status: 'error', message: problem });
        return;
      }
      setState({ status: 'idle' });
      current.timer = window.setTimeout(flush, delayMs);
    },
    [delayMs, flush],
  );

  useEffect(
    () => () => {
      if (latest.current.timer) void flush();
    },
    [flush],
  );

  return { value, state, change };
}
