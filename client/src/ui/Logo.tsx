/** The Gatehouse mark and word mark. */
export function Logo() {
  return (
    <span className="logo">
      <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <rect width="24" height="24" rx="6" fill="var(--accent)" />
        <path
          d="M7 18V10.5a5 5 0 0 1 10 0V18M10.5 18v-4h3v4"
          stroke="var(--accent-contrast)"
          strokeWidth="2"
          fill="none"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span className="logo-text">Gatehouse</span>
    </span>
  );
}
