import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { GuestOnly, RequireAuth } from '../features/auth/route-guards';
import { AppShellLoading } from '../components/app-shell';
import { ErrorPage } from './pages/error-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { RegisterPage } from './pages/register-page';
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
        element: <GuestOnly />,
        children: [
          { index: true, element: <Navigate to="/auth/login" replace /> },
          { path: 'register', element: <RegisterPage /> },
          { path: 'login', element: <LoginPage /> },
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
