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

/** How a date in this format is typed, e.g. "DD/MM/YYYY". */
export function datePattern(format: DateFormat): string {
  return format === 'DD_MM_YYYY' ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
}

/** A calendar day (YYYY-MM-DD) written in the organization's format; '' stays ''. */
export function formatIsoDay(day: string, format: DateFormat): string {
  const [year, month, date] = day.split('-').map(Number);
  return day ? formatDate(new Date(year, month - 1, date), format) : '';
}

/**
 * A day typed in the organization's format (any of / . - between the parts) as YYYY-MM-DD, or
 * null when it is not a real calendar day.
 */
export function parseDay(text: string, format: DateFormat): string | null {
  const parts = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim());
  if (!parts) return null;
  const [first, second, year] = parts.slice(1).map(Number);
  const [day, month] = format === 'DD_MM_YYYY' ? [first, second] : [second, first];
  const date = new Date(year, month - 1, day);
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The organization's date format; the default on pages without a signed-in viewer. */
export function useDateFormat(): DateFormat {
  return useContext(ViewerContext)?.organization?.dateFormat ?? 'MM_DD_YYYY';
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
  const dateFormat = useDateFormat();
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
