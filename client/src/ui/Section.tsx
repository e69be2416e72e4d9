import { useId, type ReactNode } from 'react';

/** A titled card of a settings page. */
export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className="section" aria-labelledby={headingId}>
      <header className="section-header">
        <h2 id={headingId}>{title}</h2>
        {description && <p className="section-description">{description}</p>}
      </header>
      <div className="section-body">{children}</div>
    </section>
  );
}
