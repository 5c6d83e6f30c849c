import { maxComparedSegments, type StatsSegment } from '@waymark/shared';
import { useEffect, useRef } from 'react';
import { segmentOption } from '../../editor/stats/segment-words.ts';
import { formatCount } from '../../editor/stats/stats-format.ts';

/**
 * Which segments the "by segment" table compares: a disclosure with a checkbox per segment (at
 * most 10, at least one); closes on Escape (focus back on its button) or a click outside.
 */
export function SegmentPicker({ segments, shown, onChange }: { segments: StatsSegment[]; shown: string[]; onChange(shown: string[]): void }) {
  const root = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (root.current?.open && !root.current.contains(event.target as Node)) root.current.open = false;
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, []);
  const close = () => {
    if (!root.current?.open) return;
    root.current.open = false;
    root.current.querySelector('summary')?.focus();
  };
  return (
    <details ref={root} className="wm-segment-picker" onKeyDown={(e) => e.key === 'Escape' && close()}>
      <summary>
        Segments: {formatCount(shown.length)} of {formatCount(segments.length)}
      </summary>
      <fieldset>
        <legend>Compare up to {maxComparedSegments} segments</legend>
        {segments.map((s) => {
          const on = shown.includes(s.id);
          return (
            <label key={s.id}>
              <input
                type="checkbox"
                checked={on}
                disabled={on ? shown.length === 1 : shown.length >= maxComparedSegments}
                onChange={(e) => onChange(e.target.checked ? [...shown, s.id] : shown.filter((id) => id !== s.id))}
              />{' '}
              {segmentOption(s)}
            </label>
          );
        })}
      </fieldset>
    </details>
  );
}
