import type { DragEvent } from 'react';
import { nodeTypes, type NodeType } from '@waymark/shared';
import { paletteMime } from './Canvas.tsx';
import { nodeLook } from './nodes/node-look.ts';

/** Every node type, dragged onto the canvas (or added with Enter at the centre of the view). */
export function Palette({ onAdd, disabled }: { onAdd(type: NodeType): void; disabled: boolean }) {
  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(paletteMime, type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <aside className="wm-palette" aria-label="Node palette">
      <h2>Add</h2>
      {nodeTypes.map((type) => (
        // biome-ignore lint/a11y/useSemanticElements: a draggable card; a <button> cannot be dragged in every browser
        <div
          key={type}
          className="wm-palette-item"
          draggable={!disabled}
          onDragStart={(e) => onDragStart(e, type)}
          role="button"
          tabIndex={disabled ? -1 : 0}
          aria-disabled={disabled}
          aria-label={`Add ${nodeLook[type].title}`}
          data-testid={`palette-${type}`}
          onKeyDown={(e) => e.key === 'Enter' && !disabled && onAdd(type)}
          style={{ borderLeftColor: nodeLook[type].color }}
        >
          <span aria-hidden>{nodeLook[type].icon}</span>
          <div>
            <strong>{nodeLook[type].title}</strong>
            <small>{nodeLook[type].hint}</small>
          </div>
        </div>
      ))}
    </aside>
  );
}
