import type { NodeType } from '@waymark/shared';
import { channelLook, nodeLook } from './node-look.ts';
import { type Data, durationWords } from './rule-words.ts';
import { sendChannel } from './node-summary.ts';

const triggerNames: Record<string, string> = { event: 'Event trigger', segment: 'Segment trigger', schedule: 'Scheduled trigger', api: 'API trigger' };

/** A name made from what the node does, for nodes without one of their own: "Send email", "Wait 2 days". */
export function generatedName(type: NodeType, data: Data): string {
  switch (type) {
    case 'trigger':
      return triggerNames[data.entry?.kind] ?? 'Trigger';
    case 'wait':
      if (data.wait?.kind === 'duration') return `Wait ${durationWords(data.wait.duration)}`;
      if (data.wait?.kind === 'time-of-day') return `Wait until ${data.wait.time || '…'}`;
      return 'Wait for a date';
    case 'split': {
      const arms = (data.arms ?? []) as Data[];
      const tested = arms.filter((a) => !a.holdout).length;
      return `${tested > 2 ? 'A/B/n' : 'A/B'} split${arms.some((a) => a.holdout) ? ' with holdout' : ''}`;
    }
    case 'send':
      return data.delivery?.mode === 'preferred-channel' ? 'Send on preferred channel' : (channelLook[sendChannel(data) ?? '']?.action ?? 'Send');
    default:
      return nodeLook[type].title;
  }
}

/** The name on a node's card: its own (`data.name`) when it has one, else a generated one. */
export function nodeName(type: NodeType, data: Data): string {
  const own = typeof data.name === 'string' ? data.name.trim() : '';
  return own || generatedName(type, data);
}
