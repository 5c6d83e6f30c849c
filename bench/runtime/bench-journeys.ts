import type { JourneyDocumentInput } from '@waymark/shared';

const node = (id: string, type: string, data: object, y: number) => ({ id, type, position: { x: 0, y }, data }) as JourneyDocumentInput['graph']['nodes'][number];

/** trigger on `event` → condition (plan = pro) → send in-app (sandbox) → exit: the end-to-end shape. */
export function endToEndJourney(id: string, name: string, event: string): JourneyDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name,
    graph: {
      nodes: [
        node('trigger', 'trigger', { entry: { kind: 'event', event } }, 0),
        node('is-pro', 'condition', { rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } }, 100),
        node('hello', 'send', { delivery: { mode: 'channel', channel: 'in-app' }, content: { 'in-app': { title: 'Welcome {{ customer.first_name }}', body: 'Your plan: {{ customer.plan }}' } } }, 200),
        node('done', 'exit', {}, 300),
        node('not-pro', 'exit', {}, 300),
      ],
      edges: [
        { id: 'a', source: 'trigger', target: 'is-pro' },
        { id: 'b', source: 'is-pro', sourceHandle: 'yes', target: 'hello' },
        { id: 'c', source: 'is-pro', sourceHandle: 'no', target: 'not-pro' },
        { id: 'd', source: 'hello', target: 'done' },
      ],
    },
  };
}

/** trigger on `event` → wait until the trigger's `due_at` → exit. */
export function dateWaitJourney(id: string, name: string, event: string): JourneyDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name,
    graph: {
      nodes: [
        node('trigger', 'trigger', { entry: { kind: 'event', event } }, 0),
        node('wait', 'wait', { wait: { kind: 'date', source: 'trigger-event', path: 'due_at' } }, 100),
        node('done', 'exit', {}, 200),
      ],
      edges: [
        { id: 'a', source: 'trigger', target: 'wait' },
        { id: 'b', source: 'wait', target: 'done' },
      ],
    },
  };
}
