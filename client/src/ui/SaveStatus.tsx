import { CheckIcon } from './icons';
import { Spinner } from './Spinner';
import type { AutosaveState } from './useAutosave';

/** "Saving…", "Saved" or "Not saved" for a value that saves itself; `testId` names it for tests. */
export function SaveStatus({ state, testId }: { state: AutosaveState; testId: string }) {
  // Always rendered, so screen readers announce each change of the live region.
  return (
    <span className="save-status" data-state={state.status} data-testid={testId} aria-live="polite">
      {state.status === 'saving' && (
        <>
          <Spinner /> Saving…
        </>
      )}
      {state.status === 'saved' && (
        <>
          <CheckIcon /> Saved
        </>
      )}
      {state.status === 'error' && 'Not saved'}
    </span>
  );
}
