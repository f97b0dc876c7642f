import { useEffect } from 'react';

/** useDocumentTitle names the browser tab "<title> · Gatehouse" while the component is shown. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Gatehouse`;
  }, [title]);
}
