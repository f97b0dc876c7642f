import { Link, useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/auth-layout';
import { RegisterForm } from '../../features/auth/register-form';
import { usePasswordPolicy } from '../../features/password/policy-client';
import { StrengthMeter } from '../../features/password/strength-meter';
import { useDocumentTitle } from '../../lib/use-document-title';

/** RegisterPage is /auth/register. */
export function RegisterPage() {
  useDocumentTitle('Create account');
  const [params] = useSearchParams();
  const next = params.get('next');
  const policy = usePasswordPolicy();
  return (
    <AuthLayout
      title="Create your account"
      subtitle="Connect your inboxes and manage them from one secure place."
      footer={
        <>
          Already have an account?{' '}
          <Link to={next ? `/auth/login?next=${encodeURIComponent(next)}` : '/auth/login'}>Sign in</Link>
        </>
      }
    >
      <RegisterForm passwordRules={policy} passwordMeter={(input) => <StrengthMeter {...input} policy={policy} />} />
    </AuthLayout>
  );
}
