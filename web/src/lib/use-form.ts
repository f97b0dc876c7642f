import { useCallback, useEffect, useId, useRef, useState, type ChangeEvent, type SubmitEvent } from 'react';
import { firstInvalid, type FormErrors } from './form-errors';
import { useRetryWait } from './use-retry-wait';

type Values<F extends string> = Record<F, string>;
type Errors<F extends string> = Partial<Record<F, string>>;

export interface UseFormOptions<F extends string> {
  /** The fields in the order they appear, which is the order focus visits invalid ones. */
  fields: readonly F[];
  initial: Values<F>;
  /** Client-side checks; returns a message for each invalid field. */
  validate: (values: Values<F>) => Errors<F>;
  /** Sends the values; a rejection is turned into messages by toErrors. */
  submit: (values: Values<F>) => Promise<void>;
  toErrors: (error: unknown) => FormErrors<F>;
}

/** FieldBinding is what a TextField needs to show and edit one value. */
export interface FieldBinding {
  name: string;
  value: string;
  error: string | null;
  onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => void;
  ref: (element: HTMLInputElement | HTMLSelectElement | null) => void;
}

/**
 * useForm holds a form's values, its per-field and form-level errors, and its pending state.
 * Submitting validates first and, when something is wrong, sends nothing and moves focus to
 * the first invalid field; server errors are mapped back onto the fields the same way. Once a
 * field shows an error it is checked again as the user types, so the message goes away as
 * soon as it is fixed. A rate-limited (or busy) answer becomes `wait`, a live countdown that is
 * then the form's one message; the form refuses to submit until it runs out.
 */
export function useForm<F extends string>({ fields, initial, validate, submit, toErrors }: UseFormOptions<F>) {
  const [values, setValues] = useState<Values<F>>(initial);
  const [errors, setErrors] = useState<Errors<F>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const elements = useRef(new Map<F, HTMLInputElement | HTMLSelectElement>());
  const focusFormError = useRef(false);
  const wait = useRetryWait();
  const { waiting, catchWait, dismiss } = wait;

  // The form-level alert carries this id, so a new form-level error can take focus once shown.
  const formErrorId = useId();

  useEffect(() => {
    if (formError === null || !focusFormError.current) return;
    focusFormError.current = false;
    document.getElementById(formErrorId)?.focus();
  }, [formError, formErrorId]);

  const focusFirstInvalid = useCallback(
    (found: Errors<F>) => {
      const first = firstInvalid(fields, found);
      if (first !== null) elements.current.get(first)?.focus();
    },
    [fields],
  );

  const setValue = useCallback(
    (field: F, value: string) => {
      const next = { ...values, [field]: value };
      setValues(next);
      setErrors((shown) => {
        if (Object.keys(shown).length === 0) return shown;
        // Re-check only the fields already showing an error, so nothing turns red while the
        // user is still typing it for the first time.
        const fresh = validate(next);
        const updated: Errors<F> = {};
        for (const f of fields) {
          const message = fresh[f];
          if (shown[f] !== undefined && message !== undefined) updated[f] = message;
        }
        return updated;
      });
    },
    [values, fields, validate],
  );

  const onSubmit = useCallback(
    async (event: SubmitEvent<HTMLFormElement>) => {
      event.preventDefault();
      // Enter in a field submits too, so the wait is enforced here and not only on the button.
      if (pending || waiting) return;
      dismiss();
      const found = validate(values);
      if (firstInvalid(fields, found) !== null) {
        setErrors(found);
        setFormError(null);
        focusFirstInvalid(found);
        return;
      }
      setErrors({});
      setFormError(null);
      setPending(true);
      try {
        await submit(values);
      } catch (error) {
        if (catchWait(error)) {
          setErrors({});
          setFormError(null);
          return;
        }
        const mapped = toErrors(error);
        setErrors(mapped.fields);
        setFormError(mapped.form);
        if (firstInvalid(fields, mapped.fields) === null) focusFormError.current = mapped.form !== null;
        else focusFirstInvalid(mapped.fields);
      } finally {
        setPending(false);
      }
    },
    [pending, waiting, dismiss, catchWait, validate, values, fields, submit, toErrors, focusFirstInvalid],
  );

  const field = (name: F): FieldBinding => ({
    name,
    value: values[name],
    error: errors[name] ?? null,
    onChange: (event) => setValue(name, event.target.value),
    ref: (element) => {
      if (element === null) elements.current.delete(name);
      else elements.current.set(name, element);
    },
  });

  const reset = useCallback(
    (to: Values<F> = initial) => {
      setValues(to);
      setErrors({});
      setFormError(null);
    },
    [initial],
  );

  return { values, errors, formError, formErrorId, pending, wait, field, setValue, onSubmit, reset };
}
