import type { CompileError } from '@waymark/shared';

/** What the panel needs of a node to name it: its own name, or its kind. */
export interface NamedNode {
  id: string;
  type?: string | undefined;
  data: Record<string, unknown>;
}

const kindWords: Record<string, string> = {
  trigger: 'Trigger',
  wait: 'Wait',
  'wait-for-event': 'Wait for event',
  condition: 'Condition',
  split: 'Split',
  send: 'Send',
  'update-profile': 'Update profile',
  exit: 'Exit',
};

/** A node as a person calls it: "Nudge SMS", or "Condition" when it has no name. */
const nodeName = (nodes: readonly NamedNode[], id: string) => {
  const node = nodes.find((n) => n.id === id);
  const name = typeof node?.data.name === 'string' && node.data.name.trim() ? node.data.name : undefined;
  return name ?? kindWords[node?.type ?? ''] ?? 'A step';
};

/**
 * The journey's problems as you edit: errors, which stop publishing, then warnings worth a look
 * (a missing default, an event never seen, unused content). Choosing one selects and centres its node.
 * A published version (`published`) only lists what is worth knowing about it.
 */
export function ProblemsPanel({ problems, nodes, onShow, published = false }: { problems: CompileError[]; nodes: readonly NamedNode[]; onShow(nodeId: string): void; published?: boolean }) {
  const errors = problems.filter((p) => p.severity !== 'warning');
  const warnings = problems.filter((p) => p.severity === 'warning');
  const heading = published
    ? 'This version as published'
    : errors.length
      ? `${errors.length} problem${errors.length > 1 ? 's' : ''} to fix before publishing`
      : warnings.length
        ? 'Ready to publish'
        : 'No problems: ready to publish';
  const item = (p: CompileError, i: number) => (
    <li key={`${p.code}-${p.nodeId ?? ''}-${p.field ?? ''}-${i}`} className={p.severity === 'warning' ? 'is-warning' : 'is-error'}>
      {p.nodeId ? (
        <button type="button" onClick={() => onShow(p.nodeId!)} data-testid="problem">
          <strong>{nodeName(nodes, p.nodeId)}</strong> {p.message}
        </button>
      ) : (
        <span data-testid="problem">{p.message}</span>
      )}
    </li>
  );
  return (
    <section className="wm-problems" aria-label="Problems">
      <h2>
        {heading}
        {warnings.length > 0 && ` · ${warnings.length} thing${warnings.length > 1 ? 's' : ''} to check`}
      </h2>
      <ul>
        {errors.map(item)}
        {warnings.map(item)}
      </ul>
    </section>
  );
}
