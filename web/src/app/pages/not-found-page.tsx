import { Link } from 'react-router';
import { AuthLayout } from '../../components/auth-layout';
import { useAuth } from '../../features/auth/auth-context';
import { useDocumentTitle } from '../../lib/use-document-title';
import styles from './pages.module.css';

/**
 * NotFoundPage answers every path the app does not route (the server sends it with status 404).
 * It offers the way on that fits the visitor: their accounts when signed in, else sign-in and
 * registration.
 */
export function NotFoundPage() {
  useDocumentTitle('Page not found');
  const { status } = useAuth();
  return (
    <AuthLayout title="Page not found" subtitle="The page you were looking for doesn't exist or has moved.">
      <nav aria-label="Where to go next">
        <ul className={styles.links}>
          {status === 'authenticated' ? (
            <li>
              <Link to="/accounts">Go to your accounts</Link>
            </li>
          ) : (
            <>
              <li>
                <Link to="/auth/login">Sign in</Link>
              </li>
              <li>
                <Link to="/auth/register">Create an account</Link>
              </li>
            </>
          )}
        </ul>
      </nav>
    </AuthLayout>
  );
}
