/** Where people go after signing in when they did not ask for a page. */
export const defaultLanding = '/accounts';

/**
 * safeNext returns `next` when it is a path on this site, and defaultLanding otherwise, so a
 * crafted link (`?next=//evil.example`, `?next=https://evil.example`, `?next=/\evil.example`)
 * cannot send someone elsewhere after they sign in. Sign-in pages are refused too, to avoid loops.
 */
export function safeNext(next: string | null | undefined, origin: string = window.location.origin): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return defaultLanding;
  // Browsers read "\" as "/" and drop tabs and newlines, so "/\evil" and "/<tab>/evil" are
  // protocol-relative too: refuse both outright, then parse and insist on our own origin.
  if (next.includes('\\') || /\p{Cc}/u.test(next)) return defaultLanding;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return defaultLanding;
  }
  // Parsing resolves dot segments, so "/..//evil.example" and "/%2e%2e//evil.example" become
  // "//evil.example": check the path again after parsing, not only the raw input.
  if (url.origin !== origin || url.pathname.startsWith('//') || url.pathname.includes('\\')) return defaultLanding;
  if (url.pathname.startsWith('/auth/')) return defaultLanding;
  return `${url.pathname}${url.search}${url.hash}`;
}
