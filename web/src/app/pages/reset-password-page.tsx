import { Link } from 'react-router';
import { AuthLayout } from '../../components/auth-layout';
import { ResetPasswordForm } from '../../features/auth/reset-password-form';
import { useFragmentToken } from '../../features/auth/use-fragment-token';
import { usePasswordPolicy } from '../../features/password/policy-client';
import { StrengthMeter } from '../../features/password/strength-meter';
import { useDocumentTitle } from '../../lib/use-document-title';

/**
 * ResetPasswordPage is /auth/reset-password, where a reset mail links (#token=…); without a
 * token it asks for the address and the mail's code.
 */
export function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  const token = useFragmentToken();
  const policy = usePasswordPolicy();
  return (
    <AuthLayout
      title="Choose a new password"
      subtitle={
        token !== null
          ? 'Setting it signs you out on every device.'
          : 'Enter the address and the code from the reset mail, and your new password. Setting it signs you out on every device.'
      }
      footer={
        <>
          Link expired or no mail? <Link to="/auth/forgot-password">Ask for a new one</Link>
        </>
      }
    >
      <ResetPasswordForm
        token={token}
        passwordRules={policy}
        passwordMeter={(input) => <StrengthMeter {...input} policy={policy} />}
      />
    </AuthLayout>
  );
}
