import { LIMITS } from './limits';
import { COMMON_PASSWORDS } from './common-passwords';

export interface PasswordContext {
  minLength?: number;
  email?: string | null;
  username?: string | null;
}

export type PasswordRuleId =
  'length' | 'uppercase' | 'lowercase' | 'digit' | 'special' | 'maxBytes' | 'notCommon' | 'notPersonal';

export interface PasswordRuleResult {
  id: PasswordRuleId;
  label: string;
  ok: boolean;
  /** Checklist rules are shown while typing; the others only appear once they fail. */
  checklist: boolean;
}

const commonPasswords = new Set(COMMON_PASSWORDS);

/** "Password1!" is as guessable as "password1": compare without case and punctuation too. */
function isCommon(password: string): boolean {
  const lowered = password.toLowerCase();
  return commonPasswords.has(lowered) || commonPasswords.has(lowered.replace(/[^\p{L}\p{Nd}]/gu, ''));
}

function utf8Length(value: string): number {
  return new TextEncoder().encode(value).length;
}

/** Evaluates every password rule; the client renders the checklist, the server refuses on any failure. */
export function evaluatePassword(password: string, context: PasswordContext = {}): PasswordRuleResult[] {
  const minLength = Math.max(context.minLength ?? LIMITS.passwordMinLength, LIMITS.passwordMinLength);
  const lowered = password.toLowerCase();
  const personal = [context.email, context.email?.split('@')[0], context.username]
    .filter((value): value is string => !!value && value.length >= 3)
    .map((value) => value.toLowerCase());
  return [
    { id: 'length', label: `At least ${minLength} characters`, ok: [...password].length >= minLength, checklist: true },
    { id: 'uppercase', label: 'An uppercase letter', ok: /\p{Lu}/u.test(password), checklist: true },
    { id: 'lowercase', label: 'A lowercase letter', ok: /\p{Ll}/u.test(password), checklist: true },
    { id: 'digit', label: 'A digit', ok: /\p{Nd}/u.test(password), checklist: true },
    { id: 'special', label: 'A special character', ok: /[^\p{L}\p{Nd}]/u.test(password), checklist: true },
    {
      id: 'maxBytes',
      label: `At most ${LIMITS.passwordMaxBytes} bytes`,
      ok: utf8Length(password) <= LIMITS.passwordMaxBytes,
      checklist: false,
    },
    { id: 'notCommon', label: 'Not a commonly used password', ok: !isCommon(password), checklist: false },
    {
      id: 'notPersonal',
      label: 'Not your email or username',
      ok: !personal.some((value) => lowered === value || lowered.includes(value)),
      checklist: false,
    },
  ];
}

/** The first failed rule's label, or null when the password is acceptable. */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  const failed = evaluatePassword(password, context).find((rule) => !rule.ok);
  if (!failed) return null;
  return failed.checklist
    ? `Password needs: ${failed.label.toLowerCase()}`
    : `Password must be: ${failed.label.toLowerCase()}`;
}
