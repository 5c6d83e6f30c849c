import type { PreviewRow } from '@waymark/shared';
import { CircleDot, CircleOff, Flag, Hourglass, type LucideIcon, MessageSquareOff, Trophy, Zap } from 'lucide-react';
import { type KeyboardEvent, useEffect, useMemo, useRef } from 'react';
import { useEditor } from '../store/editor-context.ts';
import type { EditorActions, EditorState } from '../store/editor-store.ts';
import type { WordsHelp } from './decision-words.ts';
import { MessageCard } from './MessageCard.tsx';
import { firstRowOf } from './path-at.ts';
import { usePreview, usePreviewStore } from './preview-context.ts';
import type { PreviewSnapshot } from './preview-store.ts';
import { selectNodeNames } from './select-names.ts';
import { type RowWords, rowWords } from './timeline-words.ts';
import { shortValue } from './typed-rows.ts';
import { useRevealNode } from '../canvas/use-reveal-node.ts';
import { useShowNode } from './use-show-node.ts';
import { offsetWords, zonedTime } from './zoned-format.ts';

const toneIcons: Record<RowWords['tone'], LucideIcon> = { step: CircleDot, skip: MessageSquareOff, input: Zap, refused: CircleOff, end: Flag, goal: Trophy, waiting: Hourglass };

const selectTimeline = (s: PreviewSnapshot) => ({ result: s.result, cursor: s.cursor, moves: s.moves });
const selectSelected = (s: EditorState & EditorActions) => {
  let only: string | null = null;
  for (const n of s.nodes) {
    if (!n.selected) continue;
    if (only) return null;
    only = n.id;
  }
  return only;
};

/**
 * The preview (or replay) as a story: each row's time in the customer's zone and after entry, the
 * step as the canvas names it, what happened and why, with every message as the customer would
 * get it. Choosing a row selects and centres its step; selecting a step jumps to its first row.
 */
export function PreviewTimeline({ zone, entryAt, workspaceId, canSend }: { zone: string; entryAt: number; workspaceId: string; canSend: boolean }) {
  const { result, cursor, moves } = usePreview(selectTimeline);
  const names = useEditor(selectNodeNames);
  const selected = useEditor(selectSelected);
  const preview = usePreviewStore();
  const showNode = useShowNode();
  const reveal = useRevealNode();
  const list = useRef<HTMLOListElement>(null);
  const help = useMemo<WordsHelp>(() => ({ nameOf: (id) => names[id] ?? 'a deleted step', time: (at) => zonedTime(at, zone) }), [names, zone]);
  const rows = result?.rows ?? [];
  const words = useMemo(() => rows.map((row) => rowWords(row, help)), [rows, help]);

  // The current row comes into view when the person moves the cursor; a new result (typing in the story) scrolls nothing.
  useEffect(() => {
    if (moves) list.current?.querySelector('[aria-current="step"]')?.scrollIntoView({ block: 'nearest' });
  }, [moves]);

  // A step selected on the canvas jumps the timeline to its first row (not when a row selected it).
  const seen = useRef(selected);
  useEffect(() => {
    if (seen.current === selected) return;
    seen.current = selected;
    const state = preview.getState();
    if (!selected || !state.result || state.path.current === selected) return;
    const index = firstRowOf(state.result.rows, selected);
    if (index >= 0) state.setCursor(index);
  }, [selected, preview]);

  const pick = (index: number) => {
    preview.getState().setCursor(index);
    const node = preview.getState().path.current;
    const own = words[index]?.nodeId ?? node;
    if (own) showNode(own);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // A row selects its step: Delete here must not delete the step from the canvas (the editor's keys skip handled events).
    if (event.key === 'Delete' || event.key === 'Backspace') return event.preventDefault();
    const moves: Record<string, number> = { ArrowDown: cursor + 1, ArrowUp: cursor - 1, Home: 0, End: rows.length - 1 };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    preview.getState().setCursor(to);
    const node = preview.getState().path.current;
    if (node) reveal(node);
    requestAnimationFrame(() => list.current?.querySelector<HTMLElement>('[aria-current="step"]')?.focus());
  };

  if (!result) return null;
  if (!result.entry.enters) {
    const entry = words[0]!;
    return (
      <div className="wm-pv-refused" role="status">
        <CircleOff aria-hidden size={20} />
        <div>
          <p className="wm-pv-refused-title">{entry.what}</p>
          <p className="wm-pv-why">
            {entry.title} at {help.time(Date.parse(result.entry.at))} ({zone})
          </p>
        </div>
      </div>
    );
  }
  return (
    <ol className="wm-pv-timeline" aria-label="Timeline" ref={list} onKeyDown={onKeyDown}>
      {rows.map((row, index) => (
        <TimelineRow
          key={row.index}
          row={row}
          words={words[index]!}
          current={index === cursor}
          after={index > cursor}
          time={help.time(Date.parse(row.at))}
          offset={offsetWords(Date.parse(row.at) - entryAt)}
          onPick={() => pick(index)}
          workspaceId={workspaceId}
          canSend={canSend}
        />
      ))}
    </ol>
  );
}

function TimelineRow({
  row,
  words,
  current,
  after,
  time,
  offset,
  onPick,
  workspaceId,
  canSend,
}: {
  row: PreviewRow;
  words: RowWords;
  current: boolean;
  after: boolean;
  time: string;
  offset: string;
  onPick(): void;
  workspaceId: string;
  canSend: boolean;
}) {
  const Icon = toneIcons[words.tone];
  const values = Object.entries(words.values ?? {});
  return (
    <li className={`wm-pv-row is-${words.tone}${current ? ' is-current' : ''}${after ? ' is-after' : ''}`} data-node={words.nodeId ?? undefined}>
      <button type="button" className="wm-pv-row-main" aria-current={current ? 'step' : undefined} onClick={onPick} tabIndex={current ? 0 : -1}>
        <span className="wm-pv-when">
          <time dateTime={row.at}>{time}</time>
          <span className="wm-pv-offset">{offset}</span>
        </span>
        <span className="wm-pv-body">
          <Icon aria-hidden size={14} className="wm-pv-icon" />
          <span>
            <strong>{words.title}</strong> {words.what}
          </span>
        </span>
      </button>
      {(words.why || values.length > 0 || (row.kind === 'step' && row.message)) && (
        <div className="wm-pv-row-more">
          {words.why && <p className="wm-pv-why">{words.why}</p>}
          {values.length > 0 && (
            <dl className="wm-pv-values">
              {values.map(([key, value]) => (
                <div key={key}>
                  <dt>{key}</dt>
                  <dd>{shortValue(value)}</dd>
                </div>
              ))}
            </dl>
          )}
          {row.kind === 'step' && row.message && <MessageCard message={row.message} workspaceId={workspaceId} canSend={canSend} />}
        </div>
      )}
    </li>
  );
}
