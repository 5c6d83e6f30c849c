import { X } from 'lucide-react';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { canvasShortcuts } from './canvas-shortcuts.ts';

const mod = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? 'Cmd' : 'Ctrl';

/** The `?` help: every canvas shortcut. Takes focus, keeps it inside, closes on Escape or a click outside and gives focus back. */
export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    dialog.current?.querySelector<HTMLElement>('button')?.focus();
    return () => before?.focus?.();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'Tab') {
      // One focusable element (Close): Tab stays on it.
      event.preventDefault();
    }
  };
  return createPortal(
    // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop closes on a click; Escape does the same from the keyboard
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape closes, handled on the dialog
    <div className="wm-shortcuts-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={dialog} className="wm-shortcuts" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" onKeyDown={onKeyDown}>
        <div className="wm-shortcuts-head">
          <h2 id="shortcuts-title" className="wm-shortcuts-title">
            Keyboard shortcuts
          </h2>
          <button type="button" className="wm-icon-button" onClick={onClose} aria-label="Close">
            <X aria-hidden size={18} />
          </button>
        </div>
        <div className="wm-shortcuts-groups">
          {canvasShortcuts.map(({ group, items }) => (
            <section key={group}>
              <h3 className="wm-shortcuts-group">{group}</h3>
              <dl className="wm-shortcuts-list">
                {items.map((item) => (
                  <div key={item.does}>
                    <dt>
                      {item.keys.map((combo, i) => (
                        <span key={combo.join('+')}>
                          {i > 0 && <span className="wm-or"> or </span>}
                          {combo.map((key, j) => (
                            <span key={key}>
                              {j > 0 && '+'}
                              <kbd>{key === 'Mod' ? mod : key}</kbd>
                            </span>
                          ))}
                        </span>
                      ))}
                    </dt>
                    <dd>{item.does}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>,
    document.body,
  );
}
