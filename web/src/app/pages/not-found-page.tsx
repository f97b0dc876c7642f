import { Link } from 'react-router';
import { AuthLayout } from '../../components/auth-layout';
import { useDocumentTitle } from '../../lib/use-document-title';

/** NotFoundPage answers client-side routes that do not exist. */
export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <AuthLayout title="Page not found" subtitle="The page you were looking for doesn't exist or has moved.">
      <p>
        <Link to="/accounts">Go to your accounts</Link>
      </p>
    </AuthLayout>
  );
}
