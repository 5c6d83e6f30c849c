import { describe, expect, it } from 'vitest';
import { examples } from '@waymark/examples';
import { createEditorStore } from '../../src/editor/store/editor-store.ts';

const empty = () => createEditorStore({ journeyId: 'j1', revision: 3, document: { schemaVersion: 1, id: 'j1', name: 'Empty', graph: { nodes: [], edges: [] } } });

describe('editor store', () => {
  it('adds nodes with fresh ids and starter data, and validates as it goes', () => {
    const store = empty();
    expect(store.getState().problems.map((p) => p.code)).toEqual(['no-trigger']);
    const trigger = store.getState().addNode('trigger', { x: 0, y: 0 });
    const wait = store.getState().addNode('wait', { x: 0, y: 100 });
    const wait2 = store.getState().addNode('wait', { x: 0, y: 200 });
    expect([trigger, wait, wait2]).toEqual(['trigger', 'wait', 'wait-2']);
    expect(store.getState().nodes.find((n) => n.id === 'wait')!.data).toEqual({ wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } });
    expect(store.getState().problems.map((p) => [p.code, p.nodeId])).toContainEqual(['invalid-node-data', 'trigger']);
    expect(store.getState().save.state).toBe('unsaved');
  });

  it('one edge per handle: connecting a handle again replaces its edge; "+" on a connected handle splices the new step in', () => {
    const store = empty();
    const s = store.getState();
    s.addNode('trigger', { x: 0, y: 0 });
    s.addNode('exit', { x: 0, y: 200 });
    s.addNode('exit', { x: 300, y: 200 });
    s.onConnect({ source: 'trigger', sourceHandle: 'next', target: 'exit', targetHandle: null });
    s.onConnect({ source: 'trigger', sourceHandle: 'next', target: 'exit-2', targetHandle: null });
    expect(store.getState().edges.map((e) => [e.source, e.sourceHandle, e.target])).toEqual([['trigger', 'next', 'exit-2']]);
    const added = store.getState().addNode('condition', undefined, { source: 'trigger', sourceHandle: 'next' });
    expect(store.getState().edges.map((e) => [e.source, e.sourceHandle, e.target])).toEqual([
      ['trigger', 'next', added],
      [added, 'yes', 'exit-2'],
    ]);
    // The step below moved down to make room; the new one sits under the trigger.
    const at = (id: string) => store.getState().nodes.find((n) => n.id === id)!.position;
    expect(at('exit-2').y).toBeGreaterThan(at(added).y);
    expect(at(added).y).toBeGreaterThan(at('trigger').y);
  });

  it('inserting (Enter on a palette item) connects the new step to the selected one: its first free handle', () => {
    const store = empty();
    const s = store.getState();
    s.addNode('trigger', { x: 0, y: 0 });
    const check = store.getState().insertNode('condition', { x: 999, y: 999 });
    expect(store.getState().edges.map((e) => [e.source, e.sourceHandle, e.target])).toEqual([['trigger', 'next', check]]);
    const yes = store.getState().insertNode('send', { x: 999, y: 999 });
    store.getState().selectOnly(check);
    const no = store.getState().insertNode('exit', { x: 999, y: 999 });
    expect(store.getState().edges.map((e) => [e.source, e.sourceHandle, e.target])).toEqual([
      ['trigger', 'next', check],
      [check, 'yes', yes],
      [check, 'no', no],
    ]);
    // Branches sit side by side under the condition: yes on the left, no on the right; the new step is selected.
    const at = (id: string) => store.getState().nodes.find((n) => n.id === id)!.position;
    expect(at(yes).x).toBeLessThan(at(no).x);
    expect(at(yes).y).toBe(at(no).y);
    expect(
      store
        .getState()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual([no]);
    // With nothing selected it goes where asked, unconnected.
    store.getState().selectOnly(null);
    const loose = store.getState().insertNode('wait', { x: 999, y: 999 });
    expect(at(loose)).toEqual({ x: 999, y: 999 });
    expect(store.getState().edges.some((e) => e.target === loose)).toBe(false);
  });

  it('selection survives undo and redo: the steps selected at the time come back selected', () => {
    const store = empty();
    const s = store.getState();
    const trigger = s.addNode('trigger', { x: 0, y: 0 });
    store.getState().nudgeSelection(20, 0);
    expect(store.getState().nodes[0]!.position).toEqual({ x: 20, y: 0 });
    store.getState().undo();
    expect(store.getState().nodes.map((n) => [n.id, n.position.x, n.selected])).toEqual([[trigger, 0, true]]);
    store.getState().redo();
    expect(store.getState().nodes.map((n) => [n.id, n.position.x, n.selected])).toEqual([[trigger, 20, true]]);
    // Undoing an insertion selects the step it hung from again.
    const wait = store.getState().insertNode('wait', { x: 0, y: 0 });
    expect(store.getState().nodes.find((n) => n.id === wait)!.selected).toBe(true);
    store.getState().undo();
    expect(
      store
        .getState()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual([trigger]);
    // Redo brings the step back, selected as it was when it was undone.
    store.getState().redo();
    expect(
      store
        .getState()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual([wait]);
  });

  it('J / K walk the steps in the order customers meet them: branches in handle order', () => {
    const document = examples.find((e) => e.id === 'welcome-series')!.document;
    const store = createEditorStore({ journeyId: 'w', revision: 1, document });
    const walk = [1, 1, 1, 1, 1, 1, 1].map(() => store.getState().selectAdjacent(1));
    expect(walk).toEqual(['signed-up', 'welcome-email', 'two-days', 'opened-welcome', 'tips-push', 'nudge-sms', 'signed-up']);
    expect(store.getState().selectAdjacent(-1)).toBe('nudge-sms');
    expect(
      store
        .getState()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual(['nudge-sms']);
  });

  it('undo and redo walk whole snapshots; a new change clears redo', () => {
    const store = empty();
    store.getState().addNode('trigger', { x: 0, y: 0 });
    store.getState().addNode('exit', { x: 0, y: 100 });
    store.getState().undo();
    expect(store.getState().nodes.map((n) => n.id)).toEqual(['trigger']);
    store.getState().redo();
    expect(store.getState().nodes.map((n) => n.id)).toEqual(['trigger', 'exit']);
    store.getState().undo();
    store.getState().addNode('wait', { x: 0, y: 100 });
    expect(store.getState().future).toEqual([]);
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().nodes).toEqual([]);
  });

  it("copy and paste give new ids and keep the edges between the copied nodes; delete takes a node's edges with it", () => {
    const document = examples.find((e) => e.id === 'welcome-series')!.document;
    const store = createEditorStore({ journeyId: 'w', revision: 1, document });
    const before = store.getState().nodes.length;
    store.setState({ nodes: store.getState().nodes.map((n) => ({ ...n, selected: n.id === 'two-days' || n.id === 'opened-welcome' })) });
    store.getState().copySelection();
    store.getState().paste();
    const ids = store.getState().nodes.map((n) => n.id);
    expect(ids).toHaveLength(before + 2);
    expect(ids).toEqual(expect.arrayContaining(['wait', 'condition']));
    expect(store.getState().edges.map((e) => [e.source, e.target])).toContainEqual(['wait', 'condition']);
    store.getState().deleteSelection();
    expect(store.getState().nodes).toHaveLength(before);
    expect(store.getState().edges.some((e) => e.source === 'wait' || e.target === 'condition')).toBe(false);
  });

  it('the document it saves is the document it opened, canvas state stripped', () => {
    const document = examples.find((e) => e.id === 'abandoned-cart')!.document;
    const store = createEditorStore({ journeyId: 'a', revision: 1, document });
    store.getState().selectOnly('cart-email');
    const saved = store.getState().document();
    expect(saved.graph!.nodes).toEqual(document.graph!.nodes.map(({ id, type, position, data }) => ({ id, type, position, data })));
    expect(saved.graph!.edges.map((e) => [e.source, e.sourceHandle, e.target])).toEqual(document.graph!.edges.map((e) => [e.source, e.sourceHandle ?? 'next', e.target]));
    expect(store.getState().problems).toEqual([]);
  });

  it('a read-only editor (a viewer, an old version) changes nothing', () => {
    const store = createEditorStore({ journeyId: 'r', revision: 1, readOnly: true, document: { schemaVersion: 1, id: 'r', name: 'R', graph: { nodes: [], edges: [] } } });
    store.getState().addNode('trigger', { x: 0, y: 0 });
    store.getState().updateMeta({ name: 'Changed' });
    expect([store.getState().nodes, store.getState().meta.name, store.getState().version]).toEqual([[], 'R', 0]);
  });
});
