import type { ReactNode } from 'react';
import { Button } from './Button';
import { PlusIcon } from './icons';

/** An empty list: what the things are, and the first action to make one (when the viewer may). */
export function EmptyState({
  children,
  actionLabel,
  onAction,
}: {
  children: ReactNode;
  actionLabel?: string;
  onAction?: () => void;
}) {
  return (
    <div className="empty-state-body">
      <p>{children}</p>
      {actionLabel && onAction && (
        <Button variant="primary" onClick={onAction}>
          <PlusIcon />
          {actionLabel}
        </Button>
      )}
    </div>
  );
}
