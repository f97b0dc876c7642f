import { AuthLayout } from '../../components/auth-layout';
import { ReportEmailChange } from '../../features/auth/report-email-change';
import { useDocumentTitle } from '../../lib/use-document-title';

/** ReportEmailChangePage is /auth/report-email-change, linked (#token=…) from the old address's notice. */
export function ReportEmailChangePage() {
  useDocumentTitle('Report an email change');
  return (
    <AuthLayout title="Was this you?" subtitle="Your account's email address is about to change.">
      <ReportEmailChange />
    </AuthLayout>
  );
}
