import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

/** tokenFromHash reads `token` from a fragment such as "#token=abc"; null when absent or blank. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token')?.trim() ?? '';
  return token === '' ? null : token;
}

/**
 * useFragmentToken returns the token a mailed link carries in its fragment (#token=…), read
 * once when the page opens, and then drops the fragment from the address (replacing the
 * history entry), so the token does not linger in history or get copied along with the URL.
 * It only reads: spending the token is the page's button's job, never the page load's.
 */
export function useFragmentToken(): string | null {
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => tokenFromHash(location.hash));

  useEffect(() => {
    if (location.hash === '') return;
    void navigate(
      { pathname: location.pathname, search: location.search },
      { replace: true, state: location.state as unknown },
    );
  }, [location.hash, location.pathname, location.search, location.state, navigate]);

  return token;
}
