import { type KeyboardEvent, type RefObject, useEffect } from 'react';

const itemSelector = '[role="menuitem"]:not([disabled]), [role="menuitemradio"]:not([disabled])';

/**
 * Menu behaviour shared by the canvas menus and the Versions popover: the first item takes focus
 * when the menu opens (or when its items arrive), arrows / Home / End move between items, Escape
 * closes and gives focus back to the button that opened it, Tab or a click outside closes.
 * Returns the menu's keydown handler.
 */
export function useMenuFocus(menu: RefObject<HTMLElement | null>, open: boolean, onClose: () => void, anchor: () => HTMLElement | null | undefined, ready = true) {
  useEffect(() => {
    if (!open) return;
    const frame = requestAnimationFrame(() => {
      const root = menu.current;
      if (!root || (root.contains(document.activeElement) && document.activeElement !== root)) return;
      // Until its items arrive (`ready`), the menu itself holds focus, so Escape and arrows already work.
      (ready ? (root.querySelector<HTMLElement>(itemSelector) ?? root) : root).focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [open, menu, ready]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (menu.current?.contains(target) || anchor()?.contains(target)) return;
      onClose();
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [open, menu, anchor, onClose]);

  return (event: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>(itemSelector) ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const focus = (i: number) => items[(i + items.length) % items.length]?.focus();
    // Keys stay in the menu: the canvas behind must not move a node or undo.
    if (event.key !== 'Tab') event.stopPropagation();
    if (event.key === 'ArrowDown') focus(at + 1);
    else if (event.key === 'ArrowUp') focus(at < 0 ? -1 : at - 1);
    else if (event.key === 'Home') focus(0);
    else if (event.key === 'End') focus(-1);
    else if (event.key === 'Escape') {
      onClose();
      anchor()?.focus();
    } else if (event.key === 'Tab') onClose();
    else return;
    if (event.key !== 'Tab') event.preventDefault();
  };
}
