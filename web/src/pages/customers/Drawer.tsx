import { X } from 'lucide-react';
import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A panel over the right of the page for one thing's details: takes focus, closes with Escape or
 * the close button, and gives focus back to what opened it.
 */
export function Drawer({ title, children, onClose }: { title: string; children: ReactNode; onClose(): void }) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, [onClose]);
  return (
    <div className="wm-drawer-backdrop">
      <div className="wm-drawer" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} ref={panel}>
        <div className="wm-drawer-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="wm-drawer-close" aria-label="Close" onClick={onClose}>
            <X aria-hidden="true" size={18} />
          </button>
        </div>
        <div className="wm-drawer-body">{children}</div>
      </div>
    </div>
  );
}
