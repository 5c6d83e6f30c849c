import { DataTable } from '../../components/charts/DataTable.tsx';
import { formatCount, formatShare } from '../../editor/stats/stats-format.ts';
import { exitWords } from '../../editor/stats/stats-words.ts';

/** How runs ended in the range, told apart in words, with their share of all endings. */
export function ExitsTable({ exits }: { exits: Record<string, number> }) {
  const rows = Object.entries(exits)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, n]) => sum + n, 0);
  return (
    <section className="wm-chart-card" aria-labelledby="wm-report-exits">
      <div className="wm-chart-head">
        <h2 className="wm-chart-title" id="wm-report-exits">
          How runs ended
        </h2>
      </div>
      {rows.length ? (
        <DataTable
          caption="How runs ended"
          fileName="endings.csv"
          data={{ columns: ['Ending', 'Runs', 'Share'], rows: rows.map(([reason, n]) => [exitWords(reason), formatCount(n), formatShare(n, total)]), numeric: [false, true, true] }}
        />
      ) : (
        <p className="wm-stats-empty">No run ended in these days.</p>
      )}
    </section>
  );
}
