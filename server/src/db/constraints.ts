import { AppError } from '../errors/app-error';

/**
 * Runs a write and turns the named database constraints it may violate (unique indexes,
 * invariant triggers) into the error a person should read. Anything else is rethrown.
 */
export async function withConstraints<T>(work: () => Promise<T>, errors: Record<string, () => AppError>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const driverError = ((error as { driverError?: unknown }).driverError ?? error) as { constraint?: string };
    const translate = driverError.constraint ? errors[driverError.constraint] : undefined;
    if (translate) throw translate();
    throw error;
  }
}

export const LAST_ADMIN = {
  memberships_keep_admin: () =>
    AppError.conflict('The organization needs at least one active Admin. Make someone else Admin first.'),
};

export const LAST_WORKSPACE_OWNER = {
  workspace_members_keep_owner: () =>
    AppError.conflict('A workspace needs at least one Owner who is a person. Make someone else Owner first.'),
};
