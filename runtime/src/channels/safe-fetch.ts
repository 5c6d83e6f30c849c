import type { Readable } from 'node:stream';
import { Agent } from 'undici';
import { PermanentDeliveryError } from './channel.ts';
import { guardedConnector, type Resolve } from './guarded-connector.ts';
import { isPrivateAddress } from './is-private-address.ts';
import { RefusedDestinationError } from './refused-destination-error.ts';

/** What a workspace lets its journey authors reach. */
export interface SafeFetchPolicy {
  /** Loopback, private, link-local… addresses too (off by default: a self-hosted intranet opts in). */
  allowPrivateNetworks: boolean;
}

/** The request. The body is a string or bytes so that a 307/308 redirect can send it again. */
export interface SafeFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

/** Limits, and the seams tests use. */
export interface SafeFetchOptions {
  connectTimeoutMs?: number;
  /** For the whole exchange: every hop and reading the body. */
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxRedirects?: number;
  /** How hostnames resolve; the OS resolver by default. */
  resolve?: Resolve;
  /** Which resolved or literal addresses may be connected to; by default derived from the policy. */
  isAllowedAddress?: (address: string) => boolean;
}

/** The final response: status, headers, and at most `maxBodyBytes` of the body (the rest is never read). */
export interface SafeResponse {
  status: number;
  statusText: string;
  headers: Headers;
  url: string;
  body: Uint8Array;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
// undici rejects or manages these itself; the fetch standard forbids authors to set them.
const forbiddenHeaders = new Set(['connection', 'content-length', 'expect', 'host', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Sends an HTTP(S) request to a URL a journey author wrote. Every hop (redirects are followed here, at
 * most `maxRedirects`) connects only to an address checked at connection time: refused ones throw
 * `RefusedDestinationError` before any socket is opened. Other failures are "timed out" or "could not
 * connect" (retryable), without saying what answered.
 */
export async function safeFetch(url: string, init: SafeFetchInit, policy: SafeFetchPolicy, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const { connectTimeoutMs = 5_000, timeoutMs = 10_000, maxBodyBytes = 64 * 1024, maxRedirects = 5, resolve } = options;
  let target = httpUrl(url);
  const isAllowed = options.isAllowedAddress ?? (policy.allowPrivateNetworks ? () => true : (address: string) => !isPrivateAddress(address));
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  // One agent per call: a pooled connection to an address one workspace may reach must never serve another.
  const agent = new Agent({ connect: guardedConnector({ isAllowed, resolve, connectTimeoutMs }) });
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  let headers = Object.fromEntries(Object.entries(init.headers ?? {}).filter(([name]) => !forbiddenHeaders.has(name.toLowerCase())));
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await agent.request({ origin: target.origin, path: `${target.pathname}${target.search}`, method, headers, body: body ?? null, signal });
      const location = response.headers.location;
      if (!redirectStatuses.has(response.statusCode) || typeof location !== 'string') {
        return { status: response.statusCode, statusText: response.statusText, headers: toHeaders(response.headers), url: target.href, body: await readAtMost(response.body, maxBodyBytes) };
      }
      discard(response.body);
      if (redirects === maxRedirects) throw new RefusedDestinationError('refused: too many redirects');
      const next = httpUrl(location, target);
      // As fetch does: 303 (and 301/302 after a POST) become a GET without body.
      if ((response.statusCode === 303 && method !== 'HEAD') || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers = without(headers, ['content-type', 'content-encoding', 'content-language', 'content-location']);
      }
      if (next.origin !== target.origin) headers = without(headers, ['authorization', 'cookie', 'proxy-authorization', 'waymark-signature']);
      target = next;
    }
  } catch (error) {
    throw describe(error, timeout, init.signal);
  } finally {
    agent.destroy().catch(() => {});
  }
}

function httpUrl(url: string, base?: URL): URL {
  const parsed = URL.parse(url, base?.href);
  if (!parsed) throw new PermanentDeliveryError(`the URL "${url}" is not valid`);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new RefusedDestinationError('refused: not an http(s) URL');
  return parsed;
}

/** Stops reading: the connection is closed rather than drained. undici reports that as an abort, expected here. */
function discard(stream: Readable) {
  stream.on('error', () => {}).destroy();
}

function without(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) for (const one of [value ?? []].flat()) headers.append(name, one);
  return headers;
}

async function readAtMost(stream: Readable, max: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (max > 0) {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk.subarray(0, max - size));
      size += Math.min(chunk.length, max - size);
      if (size >= max) break;
    }
  }
  discard(stream);
  return Buffer.concat(chunks);
}

/** Our own errors pass through; the rest say what happened, keeping the details only as `cause`. */
function describe(error: unknown, timeout: AbortSignal, callerSignal: AbortSignal | undefined): unknown {
  if (error instanceof PermanentDeliveryError) return error;
  if (callerSignal?.aborted && !timeout.aborted) return callerSignal.reason;
  const code = (error as { code?: string }).code;
  if (timeout.aborted || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return new Error('timed out', { cause: error });
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') return new PermanentDeliveryError(`invalid request: ${(error as Error).message}`, { cause: error });
  return new Error('could not connect', { cause: error });
}
