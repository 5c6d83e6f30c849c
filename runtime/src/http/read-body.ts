import { createGunzip, createInflate } from 'node:zlib';
import { ApiError } from './api-error.ts';
import { findUnstorable } from './find-unstorable.ts';

/** How much of a request body a route reads, and how deep its JSON may nest. */
export interface BodyLimits {
  /** Bytes, both as sent (compressed) and once decompressed. */
  maxBytes: number;
  maxDepth?: number;
}

const encodings: Record<string, 'gzip' | 'deflate'> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate' };

/**
 * Reads a request body as a stream and stops as soon as it passes `maxBytes` (413): a declared
 * Content-Length, the bytes as sent (chunked or not) and the bytes after gzip / deflate
 * decompression are all bounded, so neither a huge upload nor a small compression bomb is held in
 * memory. A refused body is left unread, not cancelled: the HTTP server drains the rest (within
 * its own bounds) after the 413 is sent, so the client reads the answer instead of a reset.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const format = encodings[encoding];
  if (!format && encoding !== 'identity') throw new ApiError(415, 'unsupported-encoding', `Content-Encoding "${encoding}" is not supported; send plain JSON or gzip.`);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array();
  const sink = format ? decompressor(format, maxBytes, encoding) : collector(maxBytes);
  const reader = request.body.getReader();
  let received = 0;
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch {
        throw new ApiError(400, 'incomplete-body', 'The body ended before it was complete.');
      }
      if (chunk.done) break;
      received += chunk.value.byteLength;
      if (received > maxBytes) throw tooLarge(maxBytes);
      sink.write(chunk.value);
    }
    return await sink.end();
  } catch (error) {
    sink.abort();
    throw error;
  } finally {
    reader.releaseLock();
  }
}

interface Sink {
  write(chunk: Uint8Array): void;
  end(): Promise<Uint8Array>;
  abort(): void;
}

/** Keeps what comes, refusing more than `maxBytes`. */
function collector(maxBytes: number): Sink {
  const chunks: Uint8Array[] = [];
  let size = 0;
  return {
    write(chunk) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk);
    },
    end: async () => Buffer.concat(chunks, size),
    abort() {},
  };
}

/** Inflates as bytes come, stopping at `maxBytes` of output: a bomb is refused after reading `maxBytes`, not after expanding. */
function decompressor(format: 'gzip' | 'deflate', maxBytes: number, encoding: string): Sink {
  const inflate = format === 'gzip' ? createGunzip() : createInflate();
  const out = collector(maxBytes);
  let failure: unknown = null;
  const finished = new Promise<void>((resolve) => {
    inflate.on('data', (chunk: Buffer) => {
      try {
        out.write(chunk);
      } catch (error) {
        failure = error;
        inflate.destroy();
        resolve();
      }
    });
    inflate.on('end', resolve);
    inflate.on('close', resolve);
    inflate.on('error', (error) => {
      failure ??= new ApiError(400, 'invalid-encoding', `The body says it is ${encoding}-compressed but could not be decompressed.`, { cause: error.message });
      resolve();
    });
  });
  return {
    write(chunk) {
      if (failure) throw failure;
      inflate.write(chunk);
    },
    async end() {
      inflate.end();
      await finished;
      if (failure) throw failure;
      return out.end();
    },
    abort() {
      inflate.destroy();
    },
  };
}

/** Reads a JSON body within `limits` (see `readBody`); 400 for bad UTF-8, bad JSON or nesting deeper than `maxDepth`. */
export async function readJsonBody(request: Request, limits: BodyLimits): Promise<unknown> {
  return parseJson(await readBody(request, limits.maxBytes), limits.maxDepth);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Parses JSON text from bytes, refusing invalid UTF-8 and nesting deeper than `maxDepth` (default 32). */
export function parseJson(bytes: Uint8Array, maxDepth = 32): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new ApiError(400, 'invalid-json', 'The body is not valid UTF-8 text.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid-json', 'The body is not valid JSON.');
  }
  if (depthOf(value, maxDepth) > maxDepth) throw new ApiError(400, 'too-deep', `The JSON nests deeper than ${maxDepth} levels, the limit.`);
  return value;
}

/** The nesting depth of a parsed JSON value, counted without recursion and given up past `limit`. */
function depthOf(root: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(value) ? value : Object.values(value)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}

function tooLarge(maxBytes: number) {
  const size = maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MB` : `${Math.round(maxBytes / 1024)} KB`;
  return new ApiError(413, 'payload-too-large', `The body is larger than ${size}, the limit for this endpoint.`);
}

/** `readJsonBody`, then text PostgreSQL can store everywhere in it (400 `unstorable-text` naming the field), as `guardBody` checks /api bodies. */
export async function readStorableJsonBody(request: Request, limits: BodyLimits): Promise<unknown> {
  const value = await readJsonBody(request, limits);
  const unstorable = findUnstorable(value);
  if (unstorable) throw new ApiError(400, 'unstorable-text', `The body has text that cannot be stored at "${unstorable.field}": ${unstorable.problem}.`, { field: unstorable.field });
  return value;
}
