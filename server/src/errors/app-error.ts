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
  // Not in the spec's list: the database is unreachable, answered with HTTP 503 and Retry-After.
  'SERVICE_UNAVAILABLE',
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

  /** Refused for want of one permission: `extensions.missingPermission` lets the UI name it. */
  static missingPermission(permission: string): AppError {
    return new AppError('FORBIDDEN', `You need the ${permission} permission to do that.`, undefined, {
      missingPermission: permission,
    });
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

  static serviceUnavailable(): AppError {
    return new AppError('SERVICE_UNAVAILABLE', 'The service is briefly unavailable. Please try again in a moment.');
  }
}
