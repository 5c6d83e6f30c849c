import { type KeyboardEvent, type ReactNode, type RefObject, useLayoutEffect, useState } from 'react';
import { createPortal } from 'react-dom';

/**
 * A menu drawn over the page at screen size (not scaled with the canvas), under the element it
 * belongs to, following it while the canvas pans or zooms, kept inside the window.
 */
export function Popover({
  anchor,
  menuRef,
  label,
  onKeyDown,
  children,
  testId,
}: {
  anchor: () => HTMLElement | null | undefined;
  menuRef: RefObject<HTMLDivElement | null>;
  label: string;
  onKeyDown(event: KeyboardEvent): void;
  children: ReactNode;
  testId?: string;
}) {
  const [at, setAt] = useState<{ left: number; top: number } | null>(null);
  useLayoutEffect(() => {
    let frame = 0;
    const place = () => {
      const box = anchor()?.getBoundingClientRect();
      const menu = menuRef.current?.getBoundingClientRect();
      if (box && menu) {
        const left = Math.min(Math.max(8, box.left + box.width / 2 - menu.width / 2), window.innerWidth - menu.width - 8);
        const below = box.bottom + 6;
        const top = below + menu.height > window.innerHeight - 8 ? Math.max(8, box.top - menu.height - 6) : below;
        setAt((old) => (old && old.left === left && old.top === top ? old : { left, top }));
      }
      frame = requestAnimationFrame(place);
    };
    place();
    return () => cancelAnimationFrame(frame);
  }, [anchor, menuRef]);
  return createPortal(
    <div ref={menuRef} role="menu" aria-label={label} tabIndex={-1} className="wm-popover" style={{ left: at?.left ?? -9999, top: at?.top ?? -9999 }} onKeyDown={onKeyDown} data-testid={testId}>
      {children}
    </div>,
    document.body,
  );
}
