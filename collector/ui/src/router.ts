// A two-page app needs no router library: the path picks the page, the query string holds the
// list's filters, and history.pushState keeps back/forward and shared links working.
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  path: string;
  search: string;
}

const current = (): Location => ({ path: location.pathname, search: location.search });
const CHANGE = 'stitch:navigate';

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

export function useLocation(): Location {
  const [value, setValue] = useState(current);
  useEffect(() => {
    const update = () => setValue(current());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return value;
}

/** onClick for in-app links: plain clicks navigate without a reload; modified clicks (new tab…) stay with the browser. */
export function followLink(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? '/');
}

/** `/sessions/<id>` → the id; undefined for other paths. */
export function sessionIdFromPath(path: string): string | undefined {
  const match = /^\/sessions\/([^/]+)\/?$/.exec(path);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
