import { connect } from 'node:net';

/** One HTTP/1.1 request written byte for byte on a raw socket. */
export interface RawRequest {
  method?: string;
  /** Sent as is: percent-encode anything that is not plain ASCII. */
  path: string;
  headers?: Record<string, string>;
  /** Sent with a matching Content-Length, unless `chunkSize` or `contentLength` says otherwise. */
  body?: Buffer | string;
  /** Sends the body with `Transfer-Encoding: chunked`, in chunks of this many bytes. */
  chunkSize?: number;
  /** Declares this Content-Length whatever the body's size (a lie, or only the headers of a huge body). */
  contentLength?: number;
}

/** What the server answered. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

/** The request in a line, for assertion messages. */
export function describeRequest({ method = 'POST', path, headers = {}, body, contentLength }: RawRequest): string {
  const size = contentLength ?? (body === undefined ? 0 : Buffer.byteLength(body));
  const shown = body === undefined ? '' : ` body=${JSON.stringify(Buffer.from(body).subarray(0, 120).toString('latin1'))}${size > 120 ? `… (${size} bytes)` : ''}`;
  const hidden = new Set(['authorization', 'cookie']);
  const named = Object.entries(headers).map(([name, value]) => `${name}: ${hidden.has(name.toLowerCase()) ? `${value.slice(0, 12)}…` : value.slice(0, 60)}`);
  return `${method} ${path.slice(0, 200)}${named.length ? ` [${named.join('; ')}]` : ''}${shown}`;
}

/**
 * Sends one request on its own connection (`Connection: close`) and resolves with the answer as
 * soon as it is complete. A server that answers before the body is sent (413 on Content-Length)
 * is fine: the client's own EPIPE after the answer does not count. Rejects when the connection is
 * reset or closed before a complete answer: that is the failure this suite looks for.
 */
export function rawExchange(request: RawRequest, port: number, timeoutMs = 20_000): Promise<RawResponse> {
  const { method = 'POST', path, headers = {}, body, chunkSize, contentLength } = request;
  const payload = body === undefined ? undefined : Buffer.from(body);
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (chunkSize) lines.push('Transfer-Encoding: chunked');
  else if (contentLength !== undefined) lines.push(`Content-Length: ${contentLength}`);
  else if (payload) lines.push(`Content-Length: ${payload.byteLength}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    let answered: RawResponse | null = null;
    let failure: Error | null = null;
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      answered ??= parseResponse(received, method === 'HEAD', false);
      if (answered) socket.destroy();
    });
    socket.on('error', (error) => {
      failure ??= error;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      answered ??= parseResponse(received, method === 'HEAD', true);
      if (answered) return resolve(answered);
      const why = failure ? `${(failure as NodeJS.ErrnoException).code ?? ''} ${failure.message}`.trim() : 'the server closed the connection';
      reject(new Error(`no complete response (${why}) to ${describeRequest(request)}; received ${JSON.stringify(received.subarray(0, 200).toString('latin1'))}`));
    });
    const pump = async () => {
      socket.write(head);
      if (!payload) return;
      const step = chunkSize ?? 64 * 1024;
      for (let at = 0; at < payload.byteLength && !socket.destroyed && !answered; at += step) {
        const part = payload.subarray(at, at + step);
        const framed = chunkSize ? Buffer.concat([Buffer.from(`${part.byteLength.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part;
        if (!socket.write(framed)) await new Promise((r) => socket.once('drain', r).once('close', r));
      }
      if (chunkSize && !socket.destroyed && !answered) socket.write('0\r\n\r\n');
    };
    socket.once('connect', () => void pump().catch(() => {}));
  });
}

/** A complete response in `bytes`, or null while more is to come (`closed`: nothing more will). */
function parseResponse(bytes: Buffer, isHead: boolean, closed: boolean): RawResponse | null {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...headerLines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1]);
  if (!status) return null;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(end + 4);
  let body: Buffer | null;
  if (isHead || status === 204 || status === 304) body = Buffer.alloc(0);
  else if (headers['transfer-encoding']?.toLowerCase() === 'chunked') body = dechunk(rest);
  else if (headers['content-length'] !== undefined) body = rest.byteLength >= Number(headers['content-length']) ? rest.subarray(0, Number(headers['content-length'])) : null;
  else body = closed ? rest : null;
  return body ? { status, headers, body, text: body.toString('utf8') } : null;
}

/** The body of a chunked response, or null until its last chunk has come. */
function dechunk(bytes: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts);
    if (bytes.byteLength < lineEnd + 2 + size + 2) return null;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
