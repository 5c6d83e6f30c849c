import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';

/** A node of a published version, as a path or a message names it. */
export interface NodeLabel {
  type: string;
  label: string;
  /** The first channel of a send node. */
  channel: string | null;
}

const channelWords: Record<string, string> = { email: 'Email', sms: 'SMS', push: 'Push', webhook: 'Webhook', 'in-app': 'In-app message' };
const plural = (amount: unknown, unit: unknown) => `${amount} ${amount === 1 ? String(unit).replace(/s$/, '') : unit}`;

interface NodeFacts extends Record<string, unknown> {
  type: string;
  name: string | null;
  channel: string | null;
  event: string | null;
  wait: { kind?: string; duration?: { amount?: number; unit?: string }; time?: string; path?: string } | null;
  reason: string | null;
}

/** "Email: Welcome email", "Wait 2 days", "Wait for order_completed": a node in words, never its id. */
export function labelNode(node: NodeFacts): string {
  switch (node.type) {
    case 'trigger':
      return node.event ? `Entry on ${node.event}` : 'Entry';
    case 'wait':
      if (node.wait?.kind === 'duration' && node.wait.duration) return `Wait ${plural(node.wait.duration.amount, node.wait.duration.unit)}`;
      if (node.wait?.kind === 'time-of-day' && node.wait.time) return `Wait until ${node.wait.time}`;
      if (node.wait?.kind === 'date' && node.wait.path) return `Wait until ${node.wait.path}`;
      return 'Wait';
    case 'wait-for-event':
      return node.event ? `Wait for ${node.event}` : 'Wait for an event';
    case 'condition':
      return node.name ? `Check: ${node.name}` : 'Condition';
    case 'split':
      return node.name ? `Split: ${node.name}` : 'Split';
    case 'send': {
      const channel = node.channel ? (channelWords[node.channel] ?? node.channel) : 'Message';
      return node.name ? `${channel}: ${node.name}` : channel;
    }
    case 'update-profile':
      return 'Update profile';
    case 'exit':
      return node.reason ? `Exit: ${node.reason}` : 'Exit';
    default:
      return node.type;
  }
}

/**
 * The nodes of published journey versions in words, keyed `journeyId:version` then node id. Only
 * the few fields a label needs leave the database (not the message content).
 */
export async function nodeLabels(db: Db, versions: readonly { journeyId: string; version: number }[]): Promise<Map<string, Map<string, NodeLabel>>> {
  const wanted = [...new Map(versions.map((v) => [`${v.journeyId}:${v.version}`, { j: v.journeyId, v: v.version }])).values()];
  const labels = new Map<string, Map<string, NodeLabel>>();
  if (!wanted.length) return labels;
  const rows = await db.execute<{ key: string; id: string } & NodeFacts>(sql`
    select v.journey_id || ':' || v.version as key, n->>'id' as id, n->>'type' as type, n->'data'->>'name' as name,
      coalesce(n->'data'->'delivery'->>'channel', n->'data'->'delivery'->'channels'->>0) as channel,
      coalesce(n->'data'->>'event', n->'data'->'entry'->>'event') as event, n->'data'->'wait' as wait, n->'data'->>'reason' as reason
    from journey_versions v cross join lateral jsonb_array_elements(v.document->'graph'->'nodes') n
    where (v.journey_id, v.version) in (select w->>'j', (w->>'v')::int from jsonb_array_elements(${JSON.stringify(wanted)}::jsonb) w)`);
  for (const row of rows) {
    const nodes = labels.get(row.key) ?? new Map<string, NodeLabel>();
    nodes.set(row.id, { type: row.type, label: labelNode(row), channel: row.channel });
    labels.set(row.key, nodes);
  }
  return labels;
}

/** The label of one node, or a plain fallback when the version or node is gone. */
export function labelOf(labels: Map<string, Map<string, NodeLabel>>, journeyId: string, version: number, nodeId: string | null): NodeLabel | null {
  if (nodeId === null) return null;
  return labels.get(`${journeyId}:${version}`)?.get(nodeId) ?? { type: 'unknown', label: 'A step no longer in the journey', channel: null };
}
