import { useCallback, useRef } from 'react';
import { branchLabel } from '../nodes/branch-label.ts';
import { nodeLook } from '../nodes/node-look.ts';
import { nodeName } from '../nodes/node-name.ts';
import { nodeSummary } from '../nodes/node-summary.ts';
import { useEditor } from '../store/editor-context.ts';
import type { EditorActions, EditorState } from '../store/editor-store.ts';
import { handleIds } from '../store/node-handles.ts';
import { Popover } from './Popover.tsx';
import { useMenuFocus } from './use-menu-focus.ts';

const selectConnect = (s: EditorState & EditorActions) => {
  const menu = s.menu?.kind === 'connect' ? s.menu : null;
  return { menu, nodes: menu ? s.nodes : null, edges: menu ? s.edges : null, openMenu: s.openMenu, onConnect: s.onConnect };
};

/** Connecting without a mouse (key C): for each branch of the selected step, the steps it can lead to. */
export function ConnectMenu() {
  const { menu, nodes, edges, openMenu, onConnect } = useEditor(selectConnect);
  const ref = useRef<HTMLDivElement>(null);
  const source = menu && nodes?.find((n) => n.id === menu.nodeId);
  const anchor = useCallback(() => menu && document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(menu.nodeId)}"]`), [menu]);
  const close = useCallback(() => openMenu(null), [openMenu]);
  const onKeyDown = useMenuFocus(ref, Boolean(source), close, anchor);
  if (!menu || !source || !nodes || !edges) return null;
  const targets = nodes.filter((n) => n.id !== source.id && n.type !== 'trigger');
  const handles = handleIds(source);
  const name = nodeName(source.type!, source.data);
  const names = Object.fromEntries(nodes.map((n) => [n.id, nodeName(n.type!, n.data)]));
  return (
    <Popover anchor={anchor} menuRef={ref} label={`Connect ${name}`} onKeyDown={onKeyDown} testId="connect-menu">
      <p className="wm-popover-title">Connect {name}</p>
      {handles.length === 0 && <p className="wm-popover-note">An exit has no next step.</p>}
      {targets.length === 0 && handles.length > 0 && <p className="wm-popover-note">Add another step first.</p>}
      {handles.map((handle) => {
        const branch = branchLabel(source.type, source.data, handle);
        const current = edges.find((e) => e.source === source.id && (e.sourceHandle ?? 'next') === handle)?.target;
        return (
          // biome-ignore lint/a11y/useSemanticElements: a group of menu items, not a form fieldset
          <div key={handle} role="group" aria-label={branch ? `${branch} branch` : 'Next step'}>
            {branch && <p className="wm-popover-group">{branch} leads to</p>}
            {targets.map((t) => {
              const Icon = nodeLook[t.type!].icon;
              const targetName = names[t.id]!;
              const summary = nodeSummary(t.type!, t.data, (id) => names[id]);
              return (
                <button
                  key={t.id}
                  type="button"
                  className="wm-menu-item"
                  role="menuitem"
                  aria-current={current === t.id}
                  onClick={() => {
                    close();
                    onConnect({ source: source.id, sourceHandle: handle, target: t.id, targetHandle: null });
                    anchor()?.focus();
                  }}
                >
                  <Icon aria-hidden size={16} color={nodeLook[t.type!].color} />
                  <span className="wm-menu-item-text">
                    {targetName}
                    {current === t.id ? ' (now)' : ''}
                    {/* Generated names repeat ("Exit", "Exit"): what each step does tells them apart. */}
                    <small>{summary}</small>
                  </span>
                </button>
              );
            })}
          </div>
        );
      })}
    </Popover>
  );
}
