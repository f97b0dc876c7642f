import { RouterProvider } from 'react-router';
import { AuthProvider } from '../features/auth/auth-context';
import { router } from './router';

/** App wires the providers around the router. */
export function App() {
  return (
    <AuthProvider>
      <RouterProvider router={router} />
    </AuthProvider>
  );
}
