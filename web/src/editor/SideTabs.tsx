import { type KeyboardEvent, type ReactNode, useRef } from 'react';

export type SideTab = 'step' | 'preview' | 'stats';

const tabs: { id: SideTab; label: string }[] = [
  { id: 'step', label: 'Step' },
  { id: 'preview', label: 'Preview' },
  { id: 'stats', label: 'Stats' },
];

/** The panels that share the right of the editor, as tabs (Step · Preview · Stats); arrow keys move between tabs. */
export function SideTabs({ tab, onTab, children }: { tab: SideTab; onTab(tab: SideTab): void; children: ReactNode }) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === tab);
    const by = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!by) return;
    event.preventDefault();
    const next = tabs[(at + by + tabs.length) % tabs.length]!;
    onTab(next.id);
    list.current?.querySelector<HTMLElement>(`#wm-side-tab-${next.id}`)?.focus();
  };
  return (
    <>
      <div className="wm-side-tabs" role="tablist" aria-label="Side panel" ref={list} onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`wm-side-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`wm-side-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => onTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className={`wm-side-panel is-${tab}`} role="tabpanel" id={`wm-side-panel-${tab}`} aria-labelledby={`wm-side-tab-${tab}`}>
        {children}
      </div>
    </>
  );
}
