import { ApiError, NetworkError } from './api-error';

/** FormErrors is what a form shows after a failed submit: per-field messages and one alert. */
export interface FormErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  form: string | null;
}

/**
 * formErrorsFrom maps a failed request onto a form. A 422's items go to the fields their `loc`
 * names (fields the form does not show end up in the alert); `codeToField` sends a coded error,
 * such as email_taken, to one field; anything else becomes the form-level alert.
 */
export function formErrorsFrom<F extends string>(
  error: unknown,
  knownFields: readonly F[],
  codeToField: Partial<Record<string, F>> = {},
): FormErrors<F> {
  const result: FormErrors<F> = { fields: {}, form: null };
  if (error instanceof ApiError) {
    const target = error.code !== null ? codeToField[error.code] : undefined;
    if (target !== undefined) {
      result.fields[target] = error.message;
      return result;
    }
    if (error.fieldErrors.length > 0) {
      const stray: string[] = [];
      for (const fieldError of error.fieldErrors) {
        const field = knownFields.find((f) => f === fieldError.field);
        if (field !== undefined && result.fields[field] === undefined) {
          result.fields[field] = fieldError.message;
        } else if (field === undefined) {
          // The form has no such field to point at, and its raw name means nothing to people.
          stray.push(fieldError.message);
        }
      }
      result.form = stray.length > 0 ? stray.join(' ') : null;
      return result;
    }
    result.form = error.message;
    return result;
  }
  if (error instanceof NetworkError) {
    result.form = error.message;
    return result;
  }
  result.form = 'Something unexpected happened. Please try again.';
  return result;
}

/** firstInvalid returns the first field, in form order, that has a message. */
export function firstInvalid<F extends string>(order: readonly F[], fields: Partial<Record<F, string>>): F | null {
  return order.find((f) => fields[f] !== undefined) ?? null;
}
