import { gunzipSync } from 'node:zlib';
import { ApiError } from '../../http/api-error.ts';

/**
 * Reads a request body as JSON, gunzipping when `Content-Encoding: gzip`, refusing anything whose
 * (decompressed) size is over `maxBytes` — decompression itself is bounded, so a small gzip bomb
 * cannot expand past the limit.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  const encoding = (request.headers.get('content-encoding') ?? '').toLowerCase();
  if (!encoding && declared > maxBytes) throw tooLarge(maxBytes);
  const raw = Buffer.from(await request.arrayBuffer());
  let body: Buffer = raw;
  if (encoding === 'gzip') {
    try {
      body = gunzipSync(raw, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || (error as Error).message.includes('maxOutputLength')) throw tooLarge(maxBytes);
      throw new ApiError(400, 'invalid-gzip', 'The body says it is gzip-compressed but could not be decompressed.');
    }
  } else if (encoding && encoding !== 'identity') {
    throw new ApiError(415, 'unsupported-encoding', `Content-Encoding "${encoding}" is not supported; send plain JSON or gzip.`);
  }
  if (body.byteLength > maxBytes) throw tooLarge(maxBytes);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid-json', 'The body is not valid JSON.');
  }
}

function tooLarge(maxBytes: number) {
  return new ApiError(413, 'payload-too-large', `The body is larger than ${Math.round(maxBytes / 1024)} KB, the limit for this endpoint.`);
}
