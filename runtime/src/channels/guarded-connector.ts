import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { RefusedDestinationError } from './refused-destination-error.ts';

/** Resolves a hostname to all its A and AAAA records. */
export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The operating system's resolver (hosts file, then DNS), every record in the order it answers. */
export const resolveAll: Resolve = (hostname) => dnsLookup(hostname, { all: true, order: 'verbatim' });

/**
 * An undici connector that checks the address it connects to, at the moment it connects: an IP literal
 * before the socket is opened, a hostname inside the `lookup` that `net.connect` itself uses, so no second
 * resolution can answer differently (DNS rebinding). If any record is refused, nothing is connected and the
 * error is `RefusedDestinationError('refused: private address')`.
 */
export function guardedConnector({ isAllowed, resolve = resolveAll, connectTimeoutMs }: { isAllowed: (address: string) => boolean; resolve?: Resolve; connectTimeoutMs: number }) {
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (records) => {
        if (records.some((record) => !isAllowed(record.address))) return callback(new RefusedDestinationError('refused: private address'), '');
        const usable = options.family ? records.filter((record) => record.family === options.family) : records;
        const first = usable[0];
        if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
  const connect = buildConnector({ timeout: connectTimeoutMs, lookup });
  return ((options, callback) => {
    // net.connect skips `lookup` for an IP literal (undici has already stripped IPv6 brackets).
    if (isIP(options.hostname) !== 0 && !isAllowed(options.hostname)) return callback(new RefusedDestinationError('refused: private address'), null);
    return connect(options, callback);
  }) satisfies buildConnector.connector;
}
