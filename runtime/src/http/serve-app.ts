import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';

/**
 * Serves the app on a port as Node's HTTP server, answering what Hono never sees: a CONNECT
 * (proxy tunnelling, which Node's server would otherwise close without a word) gets 405.
 */
export function serveApp(fetch: (request: Request) => Response | Promise<Response>, { port, hostname }: { port: number; hostname: string }): Server {
  const server = serve({ fetch, port, hostname }) as Server;
  server.on('connect', (_request, socket: Duplex) => {
    const body = '{"error":{"code":"method-not-allowed","message":"Waymark is not a proxy: CONNECT is not supported."}}';
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  return server;
}
