import type { NodeType } from '@waymark/shared';
import { formatCount, formatShare } from './stats-format.ts';
import { useStatsStore } from './stats-context.ts';
import type { NodeNumbers } from './use-stats-marks.ts';

/**
 * The row of numbers on a card while stats are on: passes in, waiting now, converted after this
 * step (% with the count); compact on the card, in full on hover; each opens "who is here".
 * Zoomed out (compact cards), a pill over the card's corner with passes in and waiting, in large type.
 */
export function NodeStatsRow({ id, kind, numbers, compact = false }: { id: string; kind: NodeType; numbers: NodeNumbers; compact?: boolean }) {
  const stats = useStatsStore();
  const { entered, waiting, converted } = numbers;
  const full = (n: number) => formatCount(n);
  const title = `${full(entered)} ${entered === 1 ? 'entry' : 'entries'} · ${full(waiting)} waiting now · ${full(converted)} converted after this step (${formatShare(converted, entered)} of entries)`;
  const open = (state: 'waiting' | 'sent') => (event: { stopPropagation(): void }) => {
    event.stopPropagation();
    stats.getState().openWho(id, state);
  };
  return (
    <div className={`wm-node-stats nodrag${compact ? ' is-compact' : ''}`} title={title} data-testid="node-stats">
      <button type="button" className="wm-node-stat" onClick={open(kind === 'send' ? 'sent' : 'waiting')} aria-label={`${full(entered)} entered: who is here`}>
        <strong className="wm-node-stat-value">{formatCount(entered, { compact: true })}</strong> in
      </button>
      <span aria-hidden>·</span>
      <button type="button" className="wm-node-stat" onClick={open('waiting')} aria-label={`${full(waiting)} waiting now: who is here`}>
        <strong className="wm-node-stat-value">{formatCount(waiting, { compact: true })}</strong> waiting
      </button>
      {!compact && <span aria-hidden>·</span>}
      <span className="wm-node-stat" hidden={compact}>
        <strong className="wm-node-stat-value">{formatShare(converted, entered)}</strong> ({formatCount(converted, { compact: true })})<span className="wm-sr"> converted</span>
      </span>
    </div>
  );
}
