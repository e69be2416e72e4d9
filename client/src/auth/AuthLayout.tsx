import { useEffect, type ReactNode } from 'react';
import { Logo } from '../ui/Logo';

export function AuthLayout({
  title,
  subtitle,
  footer,
  children,
}: {
  title: string;
  subtitle: string;
  footer: ReactNode;
  children: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Gatehouse`;
  }, [title]);
  return (
    <div className="auth-page">
      <div className="auth-brand">
        <Logo />
      </div>
      <main className="card auth-card">
        <h1>{title}</h1>
        <p className="auth-subtitle">{subtitle}</p>
        {children}
      </main>
      <p className="auth-footer">{footer}</p>
    </div>
  );
}
