import { useContext, useMemo } from 'react';
import type { DateFormat, TimeFormat } from '@gatehouse/shared/generated';
import { ViewerContext } from '../app/viewer';

export type DateInput = string | number | Date | null | undefined;

export interface FormatDateTime {
  /** Date and time, e.g. "11/22/2026, 7:45 PM"; `fallback` for a missing value. */
  (value: DateInput, fallback?: string): string;
  /** The date alone. */
  date: (value: DateInput, fallback?: string) => string;
}

const pad = (value: number) => String(value).padStart(2, '0');

export function formatDate(date: Date, format: DateFormat): string {
  const [day, month] = [pad(date.getDate()), pad(date.getMonth() + 1)];
  return format === 'DD_MM_YYYY' ? `${day}/${month}/${date.getFullYear()}` : `${month}/${day}/${date.getFullYear()}`;
}

export function formatTime(date: Date, format: TimeFormat): string {
  const [hours, minutes] = [date.getHours(), pad(date.getMinutes())];
  if (format === 'H24') return `${pad(hours)}:${minutes}`;
  return `${hours % 12 || 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}

/**
 * How every tab shows dates and times: in the organization's date and time format (General
 * settings), in the viewer's time zone. Pages without a signed-in viewer use the defaults.
 */
export function useFormatDateTime(): FormatDateTime {
  const organization = useContext(ViewerContext)?.organization;
  const dateFormat = organization?.dateFormat ?? 'MM_DD_YYYY';
  const timeFormat = organization?.timeFormat ?? 'H12';
  return useMemo(() => {
    const missing = (value: DateInput) => value === null || value === undefined || value === '';
    const date = (value: DateInput, fallback = '—') =>
      missing(value) ? fallback : formatDate(new Date(value!), dateFormat);
    const dateTime = (value: DateInput, fallback = '—') =>
      missing(value) ? fallback : `${date(value)}, ${formatTime(new Date(value!), timeFormat)}`;
    return Object.assign(dateTime, { date });
  }, [dateFormat, timeFormat]);
}
