import { passwordProblem } from '@gatehouse/shared';
import { AppError } from '../errors/app-error';

/** Applies the shared password policy (the same one the UI's checklist shows) on the server. */
export function assertAcceptablePassword(
  field: string,
  password: string,
  owner: { email?: string | null; username?: string | null; minLength?: number },
): void {
  const problem = passwordProblem(password, owner);
  if (problem) throw AppError.badInput(field, problem);
}
