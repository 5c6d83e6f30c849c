import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { bestName, customerEmail } from '../customers/best-name.ts';
import { getSegment } from './segment-service.ts';
import { inSegment, segmentNumber } from './membership-sql.ts';

/** Members read per query while the file streams: keyset pages along the members' primary key. */
const pageSize = 2_000;

const fixedColumns = ['customer_id', 'user_id', 'email', 'phone', 'name'];
/** Traits the fixed columns already show. */
const shownFixed = new Set(['email', 'phone', 'name']);

/**
 * One CSV field (RFC 4180: quoted when it holds a comma, a quote, a line break or edge spaces;
 * quotes doubled). Text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
 * leading apostrophe, so a spreadsheet shows it instead of running it as a formula (CSV
 * injection); numbers are written as numbers. Objects and lists are written as JSON.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (cells: unknown[]) => `${cells.map(csvField).join(',')}\r\n`;

/**
 * A segment's members as a CSV stream: Waymark's id, user id, email, phone and name, then a column
 * per trait any member has (in name order), one member per line in id order, read a page at a
 * time so a million members never sit in memory. Starts with a byte order mark, so spreadsheets
 * read it as UTF-8. Members who join or leave while it streams may or may not be in it.
 */
export async function segmentMembersCsv(db: Db, workspaceId: string, id: string): Promise<{ fileName: string; stream: ReadableStream<Uint8Array> }> {
  const segment = await getSegment(db, workspaceId, id);
  const number = await segmentNumber(db, id);
  const traits = (
    await db.execute<{ key: string }>(sql`
      select distinct k.key from customer_segments m join customers c on c.id = m.customer_id cross join lateral jsonb_object_keys(c.traits) as k(key)
      where ${inSegment('m', number)} order by k.key`)
  )
    .map((row) => row.key)
    .filter((key) => !shownFixed.has(key));
  const header = [...fixedColumns, ...traits.map((key) => (fixedColumns.includes(key) ? `trait:${key}` : key))];
  const encoder = new TextEncoder();
  let cursor: string | null = null;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (cursor === null) {
        cursor = '';
        controller.enqueue(encoder.encode(`\uFEFF${line(header)}`));
        return;
      }
      const rows = await db.execute<{ id: string; traits: Record<string, unknown>; channels: Record<string, { address?: string | null }>; user_id: string | null }>(sql`
        select c.id, c.traits, c.channels,
          (select value from customer_identities i where i.customer_id = c.id and i.kind = 'user_id' order by value limit 1) as user_id
        from customer_segments m join customers c on c.id = m.customer_id
        where ${inSegment('m', number)} and m.customer_id > ${cursor} order by m.customer_id limit ${pageSize}`);
      if (!rows.length) {
        controller.close();
        return;
      }
      cursor = rows.at(-1)!.id;
      const text = rows.map((row) => {
        const phone = row.channels.sms?.address ?? (typeof row.traits.phone === 'string' ? row.traits.phone : null);
        // The person's name only: bestName would fall back to the email, already a column.
        const name = bestName({ ...row.traits, email: undefined }, {});
        return line([row.id, row.user_id, customerEmail(row.traits, row.channels), phone, name, ...traits.map((key) => row.traits[key])]);
      });
      controller.enqueue(encoder.encode(text.join('')));
    },
  });
  return { fileName: segment.name, stream };
}
