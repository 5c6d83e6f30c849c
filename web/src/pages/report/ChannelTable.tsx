import type { ReportChannel } from '@waymark/shared';
import { DataTable } from '../../components/charts/DataTable.tsx';
import { channelName } from '../../components/words.ts';
import { formatCount, formatShare } from '../../editor/stats/stats-format.ts';

const rate = (part: number, sent: number) => `${formatShare(part, sent)} (${formatCount(part)})`;

/** Per channel: sends and what became of them; rates are of sent, with their counts. */
export function ChannelTable({ channels }: { channels: ReportChannel[] }) {
  return (
    <section className="wm-chart-card is-wide" aria-labelledby="wm-report-channels">
      <div className="wm-chart-head">
        <h2 className="wm-chart-title" id="wm-report-channels">
          By channel
        </h2>
      </div>
      <p className="wm-stats-note">Rates are of messages sent.</p>
      {channels.length ? (
        <DataTable
          caption="By channel"
          fileName="channels.csv"
          data={{
            columns: ['Channel', 'Sent', 'Delivered', 'Failed', 'Open rate', 'Click rate', 'Unsubscribe rate', 'Not sent'],
            rows: channels.map((c) => [
              channelName(c.channel === 'preferred' ? null : c.channel) === 'Message' ? 'Preferred channel' : channelName(c.channel),
              formatCount(c.sent),
              rate(c.delivered, c.sent),
              rate(c.failed, c.sent),
              rate(c.opened, c.sent),
              rate(c.clicked, c.sent),
              rate(c.unsubscribed, c.sent),
              formatCount(c.skipped),
            ]),
            numeric: [false, true, true, true, true, true, true, true],
          }}
        />
      ) : (
        <p className="wm-stats-empty">No message was sent or skipped in these days.</p>
      )}
    </section>
  );
}
