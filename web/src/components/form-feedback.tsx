import type { ReactNode } from 'react';
import { Alert } from './alert';
import { Button } from './button';
import { RetryWaitNotice, type RetryWaitView } from './retry-wait-notice';

/** FormView is what these parts read of a form (lib/use-form's result fits it). */
export interface FormView {
  pending: boolean;
  formError: string | null;
  formErrorId: string;
  wait: RetryWaitView;
}

/**
 * FormFeedback is what every form shows above its fields: the wait of a 429 or a busy 503,
 * and the form-level error, focusable so that a failed submit can move focus to it. children
 * follow the error's message inside the alert (e.g. a link that helps).
 */
export function FormFeedback({ form, children }: { form: FormView; children?: ReactNode }) {
  return (
    <>
      <RetryWaitNotice wait={form.wait} />
      {form.formError ? (
        <Alert tone="error" id={form.formErrorId} focusable>
          {form.formError}
          {children}
        </Alert>
      ) : null}
    </>
  );
}

export interface SubmitButtonProps {
  form: FormView;
  /** What the button says while the form is sent. */
  pendingLabel: string;
  fullWidth?: boolean;
  children: ReactNode;
}

/**
 * SubmitButton sends the form: busy while it is sent, and refusing clicks during a wait, which
 * it points its description at so a screen reader says why.
 */
export function SubmitButton({ form, pendingLabel, fullWidth = false, children }: SubmitButtonProps) {
  return (
    <Button
      type="submit"
      variant="primary"
      fullWidth={fullWidth}
      pending={form.pending}
      pendingLabel={pendingLabel}
      blocked={form.wait.waiting}
      aria-describedby={form.wait.waiting ? form.wait.timerId : undefined}
    >
      {children}
    </Button>
  );
}
