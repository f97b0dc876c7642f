import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { Alert } from '../../components/alert';
import { AppShellLoading } from '../../components/app-shell';
import { AuthLayout } from '../../components/auth-layout';
import { Button } from '../../components/button';
import { useAuth } from './auth-context';
import { safeNext } from './safe-next';

/**
 * RequireAuth shows its child routes to signed-in users only. Anyone else goes to sign-in with
 * ?next= set to where they were going, unless they just chose to sign out.
 */
export function RequireAuth() {
  const { status, signedOutReason, retry } = useAuth();
  const location = useLocation();
  // The app's frame, not a bare spinner, while the session check runs: the first paint of
  // /accounts (and of /, which leads here) is already the page's outline.
  if (status === 'loading') return <AppShellLoading label="Loading your account…" />;
  if (status === 'unavailable') {
    // The server could not say whether there is a session: do not send a signed-in user to
    // the sign-in page over a network blip; offer to ask again.
    return (
      <AuthLayout title="Gatehouse is unavailable" subtitle="We couldn't check whether you're signed in.">
        <Alert
          tone="warning"
          action={
            <Button variant="secondary" size="sm" onClick={retry}>
              Retry
            </Button>
          }
        >
          Can't reach Gatehouse right now. Check your connection and try again.
        </Alert>
      </AuthLayout>
    );
  }
  if (status === 'anonymous') {
    const wanted = `${location.pathname}${location.search}${location.hash}`;
    const chose = signedOutReason === 'signed-out' || signedOutReason === 'deleted';
    return <Navigate to={chose ? '/auth/login' : `/auth/login?next=${encodeURIComponent(wanted)}`} replace />;
  }
  return <Outlet />;
}

/**
 * GuestOnly shows sign-in and registration to visitors who are not signed in; a signed-in
 * user goes on to ?next= (when it is a path on this site) or /accounts. The form shows while
 * the session is still being restored, so the page is usable at once.
 */
export function GuestOnly() {
  const { status } = useAuth();
  const [params] = useSearchParams();
  if (status === 'authenticated') return <Navigate to={safeNext(params.get('next'))} replace />;
  return <Outlet />;
}
