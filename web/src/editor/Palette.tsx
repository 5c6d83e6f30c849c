import type { CSSProperties, DragEvent, KeyboardEvent } from 'react';
import { type NodeType, nodeTypes } from '@waymark/shared';
import { paletteMime } from './Canvas.tsx';
import { nodeLook } from './nodes/node-look.ts';

/** Arrow keys move between palette items; Enter or Space adds the focused one. */
function onItemKey(event: KeyboardEvent<HTMLElement>, add: () => void) {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    add();
    return;
  }
  const items = [...(event.currentTarget.parentElement?.querySelectorAll<HTMLElement>('.wm-palette-item') ?? [])];
  const at = items.indexOf(event.currentTarget);
  const to = event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : null;
  if (to === null) return;
  event.preventDefault();
  items[(to + items.length) % items.length]?.focus();
}

/** Every node type, dragged onto the canvas, or added with Enter after the selected step (at the centre of the view when none is). */
export function Palette({ onAdd, disabled }: { onAdd(type: NodeType): void; disabled: boolean }) {
  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(paletteMime, type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <aside className="wm-palette" aria-label="Node palette" aria-describedby="palette-help">
      <h2>Add a step</h2>
      <p id="palette-help" className="wm-palette-help">
        Drag onto the canvas, or press Enter to add after the selected step.
      </p>
      {nodeTypes.map((type) => {
        const { icon: Icon, color, title, hint } = nodeLook[type];
        return (
          // biome-ignore lint/a11y/useSemanticElements: a draggable card; a <button> cannot be dragged in every browser
          <div
            key={type}
            className="wm-palette-item"
            draggable={!disabled}
            onDragStart={(e) => onDragStart(e, type)}
            role="button"
            tabIndex={disabled ? -1 : 0}
            aria-disabled={disabled}
            aria-label={`Add ${title}`}
            data-testid={`palette-${type}`}
            onKeyDown={(e) => onItemKey(e, () => !disabled && onAdd(type))}
            style={{ '--node-color': color } as CSSProperties}
          >
            <span className="wm-palette-icon" aria-hidden>
              <Icon size={18} />
            </span>
            <span>
              <strong>{title}</strong>
              <small>{hint}</small>
            </span>
          </div>
        );
      })}
    </aside>
  );
}
