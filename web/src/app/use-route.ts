import { useSyncExternalStore } from 'react';

/** The current path, re-rendering on navigation (history API; the runtime serves index.html for every app path). */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

export function navigate(path: string) {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

function subscribe(onChange: () => void) {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
}

/** A link's click handler: navigates inside the app instead of reloading the page. */
export const navigateTo = (path: string) => (event: { preventDefault(): void }) => {
  event.preventDefault();
  navigate(path);
};
