import { Link } from 'react-router';
import { AuthLayout } from '../../components/auth-layout';
import { ForgotPasswordForm } from '../../features/auth/forgot-password-form';
import { useDocumentTitle } from '../../lib/use-document-title';

/** ForgotPasswordPage is /auth/forgot-password: it asks for a reset mail. */
export function ForgotPasswordPage() {
  useDocumentTitle('Forgot your password');
  return (
    <AuthLayout
      title="Forgot your password?"
      subtitle="Enter your account's email address and we'll mail you a link to choose a new one."
      footer={
        <>
          Remembered it? <Link to="/auth/login">Sign in</Link>
        </>
      }
    >
      <ForgotPasswordForm />
    </AuthLayout>
  );
}
