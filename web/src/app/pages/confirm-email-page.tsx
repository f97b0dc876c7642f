import { AuthLayout } from '../../components/auth-layout';
import { EmailConfirmation } from '../../features/auth/email-confirmation';
import { useDocumentTitle } from '../../lib/use-document-title';

/** ConfirmEmailPage is /auth/confirm-email, where an email change's confirmation mail links (#token=…). */
export function ConfirmEmailPage() {
  useDocumentTitle('Confirm your new email');
  return (
    <AuthLayout title="Confirm your new email" subtitle="Your account moves to this address once you confirm.">
      <EmailConfirmation kind="change" />
    </AuthLayout>
  );
}
