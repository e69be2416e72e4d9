import { useId, type ReactNode } from 'react';

/**
 * A titled card of a settings page. By default the title sits beside the content; `wide` puts it
 * above, with `actions` at its right, for content that needs the full width such as a table.
 */
export function Section({
  title,
  description,
  actions,
  wide = false,
  children,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  wide?: boolean;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className={wide ? 'section section-wide' : 'section'} aria-labelledby={headingId}>
      <header className="section-header">
        <div className="section-heading">
          <h2 id={headingId}>{title}</h2>
          {description && <p className="section-description">{description}</p>}
        </div>
        {actions && <div className="section-actions">{actions}</div>}
      </header>
      <div className="section-body">{children}</div>
    </section>
  );
}
