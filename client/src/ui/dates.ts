import { useMemo } from 'react';

export type DateInput = string | number | Date | null | undefined;

export interface FormatDateTime {
  /** Date and time, e.g. "Nov 22, 2026, 7:45 AM"; `fallback` for a missing value. */
  (value: DateInput, fallback?: string): string;
  /** The date alone. */
  date: (value: DateInput, fallback?: string) => string;
}

function formatter(format: Intl.DateTimeFormat) {
  return (value: DateInput, fallback = '—') =>
    value === null || value === undefined || value === '' ? fallback : format.format(new Date(value));
}

/**
 * How every tab shows dates and times. One hook so that the organization's date and time
 * format, once it is a setting, applies everywhere at once.
 */
export function useFormatDateTime(): FormatDateTime {
  return useMemo(() => {
    const dateTime = formatter(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
    return Object.assign(dateTime, { date: formatter(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })) });
  }, []);
}
