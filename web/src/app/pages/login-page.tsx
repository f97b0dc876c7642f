import { useEffect, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/auth-layout';
import { useAuth, type SignedOutReason } from '../../features/auth/auth-context';
import { LoginForm, readLoginHandoff, type LoginNotice } from '../../features/auth/login-form';
import { useDocumentTitle } from '../../lib/use-document-title';

const notices: Record<Exclude<SignedOutReason, 'none'>, LoginNotice> = {
  'signed-out': { tone: 'success', text: 'You have signed out.' },
  expired: { tone: 'warning', text: 'Your session has ended. Please sign in again.' },
  deleted: { tone: 'success', text: 'Your account has been deleted. Thank you for using Gatehouse.' },
};

/** LoginPage is /auth/login; after signing in the guard sends the user to ?next= or /accounts. */
export function LoginPage() {
  useDocumentTitle('Sign in');
  const [params] = useSearchParams();
  const { signedOutReason: reasonNow, acknowledgeSignedOut } = useAuth();
  // Show why the visitor is signed out on this visit only: keep it here, clear it there.
  const [signedOutReason] = useState(reasonNow);
  useEffect(acknowledgeSignedOut, [acknowledgeSignedOut]);
  const handoff = readLoginHandoff(useLocation().state);
  const next = params.get('next');
  const notice = handoff?.registered
    ? ({ tone: 'success', text: 'Your account was created. Sign in to continue.' } as const)
    : handoff?.passwordReset
      ? ({ tone: 'success', text: 'Your password has been changed. Sign in with your new password.' } as const)
      : signedOutReason === 'none'
        ? null
        : notices[signedOutReason];
  return (
    <AuthLayout
      title="Sign in"
      subtitle={
        next ? 'Sign in to continue to the page you asked for.' : 'Welcome back. Sign in to your Gatehouse account.'
      }
      footer={
        <>
          New to Gatehouse?{' '}
          <Link to={next ? `/auth/register?next=${encodeURIComponent(next)}` : '/auth/register'}>
            Create an account
          </Link>
        </>
      }
    >
      <LoginForm initialEmail={handoff?.email ?? ''} notice={notice} />
    </AuthLayout>
  );
}
