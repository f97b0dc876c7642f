import { useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router';

function isTypingTarget(element: Element | null): boolean {
  return (
    element instanceof HTMLInputElement ||
    element instanceof HTMLTextAreaElement ||
    element instanceof HTMLSelectElement ||
    (element instanceof HTMLElement && element.isContentEditable)
  );
}

/**
 * RootLayout moves focus to the new page's heading after each client-side navigation, so
 * screen-reader and keyboard users start at the top of the page they just opened, as they
 * would after a full page load; unless, by the time the new page has drawn, they have already
 * gone to one of its fields.
 */
export function RootLayout() {
  const { pathname } = useLocation();
  const first = useRef(true);

  useEffect(() => {
    // Children's effects have run, so the first page's handlers are attached: the app is
    // interactive. The browser tests read this mark to measure time to interactive.
    performance.mark('gatehouse:interactive');
  }, []);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // The page may still be loading its code; wait a frame for its heading to exist.
    const frame = requestAnimationFrame(() => {
      // Someone who already went to a field of the new page in that frame is typing there:
      // taking focus away would send the rest of their keystrokes to the heading.
      if (isTypingTarget(document.activeElement)) return;
      const heading = document.querySelector<HTMLElement>('main h1');
      if (heading === null) return;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: false });
    });
    return () => cancelAnimationFrame(frame);
  }, [pathname]);

  return <Outlet />;
}
