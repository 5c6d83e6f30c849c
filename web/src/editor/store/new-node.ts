import type { NodeType } from '@waymark/shared';

/** What a node of each type starts with when dropped from the palette: valid where it can be. */
export function initialData(type: NodeType): Record<string, unknown> {
  switch (type) {
    case 'trigger':
      return { entry: { kind: 'event', event: '' } };
    case 'wait':
      return { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } };
    case 'wait-for-event':
      return { event: '', timeout: { amount: 1, unit: 'days' } };
    case 'condition':
      return { rules: { kind: 'group', match: 'all', rules: [] } };
    case 'split':
      return {
        arms: [
          { id: 'a', label: 'A', weight: 50 },
          { id: 'b', label: 'B', weight: 50 },
        ],
      };
    case 'send':
      return { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: '', html: '' } } };
    case 'update-profile':
      return { operations: [] };
    case 'exit':
      return {};
  }
}

/** A fresh id for a node of `type` that is not among `taken`: `wait-2`, `send-3`. */
export function freshNodeId(type: NodeType, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const id = n === 1 ? type : `${type}-${n}`;
    if (!used.has(id)) return id;
  }
}
