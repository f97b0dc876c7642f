import { isRouteErrorResponse, useRouteError } from 'react-router';
import { AuthLayout } from '../../components/auth-layout';
import { Button } from '../../components/button';
import { useDocumentTitle } from '../../lib/use-document-title';

/** ErrorPage replaces a page that failed to render or load, e.g. after a deploy removed its code. */
export function ErrorPage() {
  useDocumentTitle('Error');
  const error = useRouteError();
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : null;
  return (
    <AuthLayout title="Something went wrong" subtitle="The page could not be shown. Reloading usually fixes it.">
      {detail ? <p>{detail}</p> : null}
      <Button variant="primary" onClick={() => window.location.reload()}>
        Reload the page
      </Button>
    </AuthLayout>
  );
}
