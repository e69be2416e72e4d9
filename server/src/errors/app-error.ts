export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'LIMIT_EXCEEDED',
  'RATE_LIMITED',
  'TWO_FACTOR_REQUIRED',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one error type services throw; formatError turns it into `extensions.code`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, shown next to it by the UI. */
    readonly field?: string,
    /** More for the client to act on, such as RATE_LIMITED's `retryAfterSeconds`. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static unauthenticated(message = 'You need to sign in first.'): AppError {
    return new AppError('UNAUTHENTICATED', message);
  }

  static forbidden(message = 'You do not have permission to do that.'): AppError {
    return new AppError('FORBIDDEN', message);
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} was not found.`);
  }

  static badInput(field: string, message: string): AppError {
    return new AppError('BAD_USER_INPUT', message, field);
  }

  static conflict(message: string, field?: string): AppError {
    return new AppError('CONFLICT', message, field);
  }
}
