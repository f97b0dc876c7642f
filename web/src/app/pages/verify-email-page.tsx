import { AuthLayout } from '../../components/auth-layout';
import { EmailConfirmation } from '../../features/auth/email-confirmation';
import { useDocumentTitle } from '../../lib/use-document-title';

/** VerifyEmailPage is /auth/verify-email, where a new account's confirmation mail links (#token=…). */
export function VerifyEmailPage() {
  useDocumentTitle('Confirm your email');
  return (
    <AuthLayout title="Confirm your email" subtitle="The last step in setting up your Gatehouse account.">
      <EmailConfirmation kind="verify" />
    </AuthLayout>
  );
}
