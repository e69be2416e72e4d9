import type { ReactNode } from 'react';

export function Alert({ tone, children }: { tone: 'error' | 'success'; children: ReactNode }) {
  // Errors interrupt (alert); confirmations wait their turn (status).
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
