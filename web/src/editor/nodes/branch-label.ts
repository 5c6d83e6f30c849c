import type { NodeType } from '@waymark/shared';
import { type Data, durationWords } from './rule-words.ts';

/** The words on the edge leaving a branch handle ("Yes", "order_completed", "Timeout: 4 hours", "A 45%"); `next` has none. */
export function branchLabel(type: NodeType | undefined, data: Data | undefined, handle: string | null | undefined): string | undefined {
  if (!handle || handle === 'next') return undefined;
  switch (type) {
    case 'condition':
      return handle === 'yes' ? 'Yes' : handle === 'no' ? 'No' : handle;
    case 'wait-for-event':
      if (handle === 'event') return data?.event || 'Event';
      return handle === 'timeout' ? `Timeout: ${durationWords(data?.timeout)}` : handle;
    case 'split': {
      const arm = (data?.arms as Data[] | undefined)?.find((a) => a.id === handle);
      if (!arm) return handle.toUpperCase();
      return `${arm.label || (arm.holdout ? 'Holdout' : handle.toUpperCase())} ${arm.weight ?? 0}%`;
    }
    default:
      return handle;
  }
}
