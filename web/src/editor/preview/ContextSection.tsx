import type { Channel, PreviewContext } from '@waymark/shared';
import { channelName } from '../../components/words.ts';
import { capWords, pastRunWords, sentTodayWords } from './context-words.ts';
import type { ContextOverrides } from './preview-draft.ts';
import { zonedDay } from './zoned-format.ts';

const counted: Channel[] = ['email', 'sms', 'push', 'in-app'];

/** What else the runtime would decide from, in words, with sends today and "journey paused" to change. */
export function ContextSection({
  context,
  overrides,
  onChange,
  zone,
  real,
}: {
  context: PreviewContext;
  overrides: ContextOverrides;
  onChange(next: ContextOverrides): void;
  zone: string;
  real: boolean;
}) {
  const sentToday = overrides.sentToday ?? context.sentToday;
  const paused = overrides.paused ?? context.paused;
  const cap = capWords(context.frequencyCap);
  return (
    <div className="wm-pv-context">
      <ul className="wm-pv-facts" aria-label="What else the journey decides from">
        <li>{sentTodayWords(sentToday)}</li>
        {(real || context.pastRuns.length > 0) && <li>{pastRunWords(context.pastRuns, (at) => zonedDay(at, zone))}</li>}
        {context.events.length > 0 && <li>{context.events.length === 1 ? '1 recent event' : `${context.events.length.toLocaleString('en')} recent events`}, for rules that count events</li>}
        {cap && <li>{cap}</li>}
        {paused && <li className="is-warning">The journey is paused: nobody would enter</li>}
      </ul>
      <details className="wm-pv-change">
        <summary className="wm-pv-toggle">Change sends today or pause</summary>
        <div className="wm-pv-sent">
          {counted.map((channel) => (
            <label key={channel} className="wm-pv-field">
              <span className="wm-pv-label">{channelName(channel)} sent today</span>
              <input
                type="number"
                min={0}
                value={sentToday[channel] ?? 0}
                onChange={(e) => onChange({ ...overrides, sentToday: { ...sentToday, [channel]: Math.max(0, Math.round(Number(e.target.value) || 0)) } })}
              />
            </label>
          ))}
        </div>
        <label className="wm-check">
          <input type="checkbox" checked={paused} onChange={(e) => onChange({ ...overrides, paused: e.target.checked })} /> Journey paused
        </label>
        {(overrides.sentToday || overrides.paused !== undefined) && (
          <button type="button" className="wm-pv-link" onClick={() => onChange({})}>
            Back to what the runtime knows
          </button>
        )}
      </details>
    </div>
  );
}
