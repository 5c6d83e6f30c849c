import { useCallback, useRef } from 'react';
import { nodeTypes } from '@waymark/shared';
import { branchLabel } from '../nodes/branch-label.ts';
import { nodeLook } from '../nodes/node-look.ts';
import { nodeName } from '../nodes/node-name.ts';
import { useEditor } from '../store/editor-context.ts';
import type { EditorActions, EditorState } from '../store/editor-store.ts';
import { Popover } from './Popover.tsx';
import { useMenuFocus } from './use-menu-focus.ts';
import { useRevealNode } from './use-reveal-node.ts';

const selectInsert = (s: EditorState & EditorActions) => {
  const menu = s.menu?.kind === 'insert' ? s.menu : null;
  const node = menu ? s.nodes.find((n) => n.id === menu.nodeId) : undefined;
  return { menu, node, openMenu: s.openMenu, addNode: s.addNode };
};

/** The "+" menu: the step types that can follow a handle; choosing one adds it there, connected, and focuses it. */
export function InsertMenu() {
  const { menu, node, openMenu, addNode } = useEditor(selectInsert);
  const ref = useRef<HTMLDivElement>(null);
  const reveal = useRevealNode();
  const anchor = useCallback(
    () =>
      menu &&
      (document.querySelector<HTMLElement>(`[data-insert-anchor="${CSS.escape(`${menu.nodeId}:${menu.handle}`)}"]`) ??
        document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(menu.nodeId)}"]`)),
    [menu],
  );
  const close = useCallback(() => openMenu(null), [openMenu]);
  const onKeyDown = useMenuFocus(ref, Boolean(menu && node), close, anchor);
  if (!menu || !node) return null;
  const branch = branchLabel(node.type, node.data, menu.handle);
  const label = `Add after ${nodeName(node.type!, node.data)}${branch ? ` (${branch})` : ''}`;
  return (
    <Popover anchor={anchor} menuRef={ref} label={label} onKeyDown={onKeyDown} testId="insert-menu">
      <p className="wm-popover-title">{label}</p>
      {nodeTypes
        .filter((t) => t !== 'trigger')
        .map((t) => {
          const Icon = nodeLook[t].icon;
          return (
            <button
              key={t}
              type="button"
              className="wm-menu-item"
              role="menuitem"
              onClick={() => {
                close();
                reveal(addNode(t, undefined, { source: menu.nodeId, sourceHandle: menu.handle }), { focus: true });
              }}
            >
              <Icon aria-hidden size={16} color={nodeLook[t].color} />
              {nodeLook[t].title}
            </button>
          );
        })}
    </Popover>
  );
}
