import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { AppError } from '../errors/app-error';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const MAX_LENGTH = 253;

/**
 * The one spelling of a domain Gatehouse stores and compares: lowercase ASCII, internationalized
 * names in punycode (IDNA), no trailing dot. Refuses IP addresses, single labels (a top-level
 * domain alone) and anything DNS could not hold.
 */
export function normalizeDomain(input: string, field = 'domain'): string {
  const typed = input.trim();
  const lowered = typed.toLowerCase().replace(/\.$/, '');
  if (isIP(lowered) || isIP(lowered.replace(/^\[|\]$/g, ''))) {
    throw AppError.badInput(field, `${typed} is an IP address: enter a domain name such as example.com.`);
  }
  const ascii = lowered ? domainToASCII(lowered) : '';
  const labels = ascii.split('.');
  if (!ascii || !labels.every((label) => LABEL.test(label)) || /^[0-9]+$/.test(labels[labels.length - 1])) {
    throw AppError.badInput(field, `"${typed}" is not a domain name such as example.com.`);
  }
  if (labels.length < 2) {
    throw AppError.badInput(field, `"${typed}" is a top-level domain: enter your own domain, such as example.com.`);
  }
  if (ascii.length > MAX_LENGTH) {
    throw AppError.badInput(field, `A domain name has at most ${MAX_LENGTH} characters.`);
  }
  return ascii;
}

/** The domain part of an email address, in the stored spelling (or '' when it has none that DNS could hold). */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return '';
  try {
    return normalizeDomain(email.slice(at + 1));
  } catch {
    return '';
  }
}
