import { CombinedGraphQLErrors } from '@apollo/client/errors';

export interface FormErrors<F extends string> {
  /** Messages for the fields the server named (`extensions.field`, or each of `extensions.problems`). */
  fields: Partial<Record<F, string>>;
  /** A message about the whole form: errors without a (known) field, or the server being unreachable. */
  form: string | null;
}

export function noFormErrors<F extends string>(fields: FormErrors<F>['fields'] = {}): FormErrors<F> {
  return { fields, form: null };
}

interface Problem {
  field: string;
  message: string;
}

function isProblem(value: unknown): value is Problem {
  const candidate = value as Partial<Problem> | null;
  return typeof candidate?.field === 'string' && typeof candidate.message === 'string';
}

const UNREACHABLE = 'Gatehouse could not be reached. Check your connection and try again.';

/** Sorts an operation's errors into messages next to the fields of a form and one for the form itself. */
export function formErrors<F extends string>(error: unknown, fields: readonly F[]): FormErrors<F> {
  const result = noFormErrors<F>();
  if (!CombinedGraphQLErrors.is(error)) {
    result.form = UNREACHABLE;
    return result;
  }
  for (const { message, extensions } of error.errors) {
    // Input validation reports every broken field in `problems`; other errors name one field at most.
    const problems = Array.isArray(extensions?.problems) ? extensions.problems.filter(isProblem) : [];
    for (const problem of problems.length ? problems : [{ field: extensions?.field, message }]) {
      const field = fields.find((name) => name === problem.field);
      if (field) result.fields[field] ??= problem.message;
      else result.form ??= problem.message;
    }
  }
  return result;
}

/** The one message to show where a single value was saved, e.g. beside an autosaved field. */
export function errorMessage(error: unknown, field: string): string {
  const { fields, form } = formErrors(error, [field]);
  return fields[field] ?? form ?? 'Could not save.';
}
