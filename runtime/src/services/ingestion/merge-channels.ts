import { type SQL, sql } from 'drizzle-orm';

/**
 * `channels` (a customer's `{ email: {...}, sms: {...} }`) with `given` merged in field by field
 * per channel, `given`'s fields winning: a channel `given` does not name stays as it was, and a
 * new address arrives without the old one's bounce (the bounce was of that address). What an
 * identify does to a profile, and what a merge does with the merged-away customer's channels.
 */
export function mergeChannels(channels: SQL, given: SQL): SQL {
  return sql`${channels} || coalesce((select jsonb_object_agg(e.key, case
      when e.value ? 'address' and (${channels} -> e.key ->> 'address') is distinct from (e.value ->> 'address')
      then coalesce(${channels} -> e.key, '{}'::jsonb) - 'bounced'
      else coalesce(${channels} -> e.key, '{}'::jsonb) end || e.value) from jsonb_each(${given}) e), '{}'::jsonb)`;
}
