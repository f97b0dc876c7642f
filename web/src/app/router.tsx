import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { GuestOnly, RequireAuth } from '../features/auth/route-guards';
import { AppShellLoading } from '../components/app-shell';
import { ConfirmEmailPage } from './pages/confirm-email-page';
import { ErrorPage } from './pages/error-page';
import { ForgotPasswordPage } from './pages/forgot-password-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { RegisterPage } from './pages/register-page';
import { ReportEmailChangePage } from './pages/report-email-change-page';
import { ResetPasswordPage } from './pages/reset-password-page';
import { VerifyEmailPage } from './pages/verify-email-page';
import { RootLayout } from './root-layout';

/** routes lists every page; /accounts loads its code on first visit. */
export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    errorElement: <ErrorPage />,
    // Shown while a lazy page's code loads on the first visit, e.g. /accounts.
    hydrateFallbackElement: <AppShellLoading label="Loading your account…" />,
    children: [
      { index: true, element: <Navigate to="/accounts" replace /> },
      {
        path: 'auth',
        children: [
          {
            element: <GuestOnly />,
            children: [
              { index: true, element: <Navigate to="/auth/login" replace /> },
              { path: 'register', element: <RegisterPage /> },
              { path: 'login', element: <LoginPage /> },
            ],
          },
          // Where the mails' links land (see internal/mail's Path constants), open whether or
          // not the visitor is signed in: a link opened where someone else, or no one, is
          // signed in must work all the same.
          { path: 'verify-email', element: <VerifyEmailPage /> },
          { path: 'confirm-email', element: <ConfirmEmailPage /> },
          { path: 'reset-password', element: <ResetPasswordPage /> },
          { path: 'report-email-change', element: <ReportEmailChangePage /> },
          { path: 'forgot-password', element: <ForgotPasswordPage /> },
        ],
      },
      {
        path: 'accounts',
        element: <RequireAuth />,
        children: [
          {
            index: true,
            lazy: async () => ({ Component: (await import('./pages/accounts-page')).AccountsPage }),
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export const router = createBrowserRouter(routes);
