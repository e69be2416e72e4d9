import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { formErrors } from './formErrors';

export interface Toast {
  text: string;
  tone?: 'success' | 'error';
  /** Offered as an "Undo" button where reversing the action is cheap. */
  undo?: () => void;
}

const SHOW_MS = 6000;

const ToastContext = createContext<(toast: Toast) => void>(() => {});

/** Reports a completed action (or why it failed) in a toast at the bottom of the window. */
export function useToast(): (toast: Toast) => void {
  return useContext(ToastContext);
}

/**
 * Runs an action that has no dialog of its own (a row-menu item, an Undo) and reports it in a
 * toast: `done` (or what `done` makes of the result) when it worked, why not when it did not.
 */
export function useReportedAction(): <T>(
  action: () => Promise<T>,
  done: Toast | ((result: T) => Toast),
) => Promise<void> {
  const toast = useToast();
  return useCallback(
    async (action, done) => {
      try {
        const result = await action();
        toast(typeof done === 'function' ? done(result) : done);
      } catch (caught) {
        toast({ tone: 'error', text: formErrors(caught, []).form ?? 'Something went wrong.' });
      }
    },
    [toast],
  );
}

/** Shows the toasts of the app, newest last; each goes away by itself or with its × button. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<(Toast & { id: number })[]>([]);
  const nextId = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((shown) => shown.filter((toast) => toast.id !== id)), []);
  const show = useCallback(
    (toast: Toast) => {
      const id = ++nextId.current;
      setToasts((shown) => [...shown.slice(-2), { ...toast, id }]);
      setTimeout(() => dismiss(id), SHOW_MS);
    },
    [dismiss],
  );

  return (
    <ToastContext.Provider value={show}>
      {children}
      {/* Always rendered, so screen readers announce each toast added to the live region. */}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className="toast" data-tone={toast.tone ?? 'success'}>
            <span className="toast-text">{toast.text}</span>
            {toast.undo && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  dismiss(toast.id);
                  toast.undo?.();
                }}
              >
                Undo
              </button>
            )}
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
