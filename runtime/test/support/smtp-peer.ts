import type { Socket } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail the peer accepted: its envelope, raw bytes and Message-ID. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  messageId: string | null;
}

/** A refusal: the recipients it matches get `code message` at RCPT (or after DATA, `at: 'data'`). */
export interface RejectRule {
  match: string | RegExp;
  code: number;
  message: string;
  at?: 'rcpt' | 'data';
}

export interface SmtpPeer {
  readonly port: number;
  /** Every mail accepted, in order of arrival (across restarts). */
  readonly messages: ReceivedMail[];
  /** How many connections were opened (across restarts): what pooling saves. */
  readonly connections: number;
  /** Refusals checked in order; edit the array to change them. */
  readonly rules: RejectRule[];
  /** Listens again (after `stop`) on the same port unless told another. */
  start(port?: number): Promise<void>;
  /** Stops listening and cuts every open connection: an outage. */
  stop(): Promise<void>;
  parse(mail: ReceivedMail): Promise<ParsedMail>;
}

/**
 * A real SMTP server on 127.0.0.1 for tests and benchmarks (the `smtp-server` package, no TLS):
 * with `users`, AUTH is required and checked; `rules` refuse chosen recipients.
 */
export async function startSmtpPeer(options: { users?: Record<string, string>; port?: number } = {}): Promise<SmtpPeer> {
  const messages: ReceivedMail[] = [];
  const rules: RejectRule[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let port = options.port ?? 0;
  let server: SMTPServer | null = null;
  const refusal = (address: string, at: 'rcpt' | 'data') => {
    const rule = rules.find((r) => (r.at ?? 'rcpt') === at && (typeof r.match === 'string' ? r.match === address : r.match.test(address)));
    return rule ? Object.assign(new Error(rule.message), { responseCode: rule.code }) : null;
  };
  const listen = async (at: number) => {
    const next = new SMTPServer({
      secure: false,
      disabledCommands: options.users ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !options.users,
      allowInsecureAuth: true,
      logger: false,
      closeTimeout: 100,
      onConnect(_session, callback) {
        connections++;
        callback();
      },
      onAuth(auth, _session, callback) {
        const ok = options.users && auth.username !== undefined && options.users[auth.username] === auth.password;
        if (!ok) return callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
        callback(null, { user: auth.username });
      },
      onRcptTo(address, _session, callback) {
        callback(refusal(address.address, 'rcpt'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((a) => a.address);
          const refused = to.map((a) => refusal(a, 'data')).find(Boolean);
          if (refused) return callback(refused);
          const raw = Buffer.concat(chunks);
          const head = raw.subarray(0, raw.indexOf('\r\n\r\n') + 1 || raw.length).toString('utf8');
          const messageId = /^message-id:\s*(<[^>\r\n]*>)/im.exec(head)?.[1] ?? null;
          messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to, raw, messageId });
          callback();
        });
      },
    });
    next.on('error', () => {});
    next.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      next.server.once('error', reject);
      next.listen(at, '127.0.0.1', () => resolve());
    });
    server = next;
    port = (next.server.address() as { port: number }).port;
  };
  await listen(port);
  return {
    get port() {
      return port;
    },
    messages,
    get connections() {
      return connections;
    },
    rules,
    async start(at = port) {
      if (!server) await listen(at);
    },
    async stop() {
      const current = server;
      server = null;
      if (!current) return;
      const closed = new Promise<void>((resolve) => current.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    parse: (mail) => simpleParser(mail.raw),
  };
}
