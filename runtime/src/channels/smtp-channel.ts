import { compile } from 'html-to-text';
import nodemailer from 'nodemailer';
import { SmtpSettings } from '@waymark/shared';
import { logErrorOnce } from '../log.ts';
import type { AdapterFactory } from '../services/providers/provider-channels.ts';
import { type Channel, PermanentDeliveryError, TransientDeliveryError } from './channel.ts';

/** A rendered email as the adapter sends it (after tracking): anything else is refused, not guessed at. */
interface EmailContent {
  subject: string;
  html: string;
  text?: string;
  preheader?: string;
  fromName?: string;
  headers?: Record<string, unknown>;
}

/** One mailbox, nothing an address parser could read as a list, a group or a display name. */
const singleAddress = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,255}$/;

/** Headers an email takes from its content (set by `instrumentEmail`): the author cannot add others. */
const passedHeaders = ['List-Unsubscribe', 'List-Unsubscribe-Post'];

/**
 * Email through the workspace's SMTP server with nodemailer: one pool of connections per provider
 * (reused across batches, closed when the provider changes), HTML with a text part (the author's,
 * else made from the HTML with links as "text [url]"), the preheader as the hidden first element,
 * `Message-ID: <message id@sender's domain>` and the List-Unsubscribe headers. SMTP 4xx and
 * connection trouble are retried; 5xx fails at once, and a refused recipient is a bounce.
 */
export const smtpChannel: AdapterFactory = (provider) => {
  const parsed = SmtpSettings.safeParse(provider.settings);
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    const reason = `the SMTP provider's settings are not valid (${problem?.path.join('.') || 'settings'}: ${problem?.message}); fix them in Settings → Channels`;
    return {
      async send() {
        throw new PermanentDeliveryError(reason, { code: 'provider-settings' });
      },
    };
  }
  const settings = parsed.data;
  const password = provider.secrets.password ?? '';
  const scrub = scrubber(settings.user ?? '', password);
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: settings.maxConnections ?? 5,
    // nodemailer closes a pooled connection after 100 messages by default; a connection is kept as
    // long as the server keeps it (measured: 5,000 emails opened 52 connections, 5 without the cap).
    maxMessages: Number.POSITIVE_INFINITY,
    host: settings.host.replace(/^\[(.*)\]$/, '$1'),
    port: settings.port,
    secure: settings.tls === 'implicit',
    requireTLS: settings.tls === 'starttls',
    ignoreTLS: settings.tls === 'none',
    ...(settings.user ? { auth: { user: settings.user, pass: password } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  // A pool reports connection trouble as events too; without a listener it would end the process.
  transport.on('error', (error) => logErrorOnce(`smtp:${provider.id}`, new Error(scrub(error.message)), 'the SMTP connection pool reported an error', { providerId: provider.id }));
  const domain = settings.fromAddress.slice(settings.fromAddress.lastIndexOf('@') + 1);
  const where = `${settings.host}:${settings.port}`;

  const channel: Channel = {
    async send(message) {
      const content = emailContent(message.content);
      const to = message.to?.trim() ?? '';
      if (!singleAddress.test(to)) throw new PermanentDeliveryError('the recipient is not a single email address', { code: 'invalid-address', bounced: Boolean(to) });
      const headers: Record<string, string> = { 'X-Waymark-Message-Id': message.id };
      for (const name of passedHeaders) {
        const value = content.headers?.[name];
        if (typeof value === 'string' && value) headers[name] = value.replace(/[\r\n]+/g, ' ');
      }
      const fromName = content.fromName || settings.fromName;
      try {
        const info = await transport.sendMail({
          from: fromName ? { name: fromName, address: settings.fromAddress } : settings.fromAddress,
          to: { name: '', address: to },
          // The envelope is set, not parsed from the headers: one recipient, whatever the address holds.
          envelope: { from: settings.fromAddress, to: [to] },
          ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
          subject: content.subject,
          html: withPreheader(content.html, content.preheader),
          text: content.text || textOf(content.html),
          messageId: `<${message.id}@${domain}>`,
          headers,
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        return { providerId: info.messageId, response: scrub(String(info.response ?? '')) };
      } catch (error) {
        throw deliveryError(error, where, scrub);
      }
    },
    close() {
      transport.close();
    },
  };
  return channel;
};

function emailContent(content: Record<string, unknown>): EmailContent {
  const { subject, html, text, preheader, fromName, headers } = content;
  if (typeof subject !== 'string' || typeof html !== 'string') throw new PermanentDeliveryError('an email needs a subject and an HTML body', { code: 'invalid-content' });
  const optional = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  return {
    subject: subject.replace(/[\r\n]+/g, ' '),
    html,
    text: optional(text),
    preheader: optional(preheader),
    fromName: optional(fromName)?.replace(/[\r\n]+/g, ' '),
    headers: headers && typeof headers === 'object' && !Array.isArray(headers) ? (headers as Record<string, unknown>) : undefined,
  };
}

/**
 * The text part made from the HTML: links kept as "text [url]", images (the open pixel) left out.
 * Compiled once: `convert` builds its converter on every call (measured: 600 against 477 emails/s
 * from one process to a local server).
 */
export const textOf: (html: string) => string = compile({
  wordwrap: 78,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['[', ']'] } },
  ],
});

/** The preheader as the body's hidden first element (what inboxes show after the subject), unless the HTML already has it. */
export function withPreheader(html: string, preheader: string | undefined): string {
  if (!preheader) return html;
  const text = escapeHtml(preheader);
  if (html.includes(text)) return html;
  const hidden = `<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all">${text}</div>`;
  const body = /<body\b[^>]*>/i.exec(html);
  return body ? html.slice(0, body.index + body[0].length) + hidden + html.slice(body.index + body[0].length) : hidden + html;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.codePointAt(0)};`);
}

interface SmtpError {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  message?: string;
}

/** Reply codes that can mean the mailbox: their enhanced status (5.1.x) or words say whether it does. */
const mailboxCodes = new Set([550, 551, 553, 554]);
const mailboxWords =
  /\b5\.1\.\d+\b|user unknown|unknown user|no such (user|mailbox|recipient)|mailbox (unavailable|not found|does not exist)|does not exist|recipient (address )?rejected|invalid recipient/i;

/**
 * What an SMTP failure means for the message: 4xx passes (retried), 5xx does not (a refused
 * recipient is a bounce), a refused login is the provider's settings, and a server that cannot be
 * reached, times out or fails TLS is retried. The provider's words are kept, credentials never.
 */
function deliveryError(error: unknown, where: string, scrub: (text: string) => string): Error {
  const e = (error ?? {}) as SmtpError;
  const replyCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const said = scrub(String(e.response ?? e.message ?? error).replace(/\s+/g, ' ')).slice(0, 500);
  if (e.code === 'EAUTH' || replyCode === 535) {
    return new PermanentDeliveryError(`the SMTP server ${where} refused the login (${said}): check the user and password of the email provider`, {
      code: replyCode ? String(replyCode) : 'EAUTH',
    });
  }
  if (replyCode !== undefined && replyCode >= 400 && replyCode < 500) return new TransientDeliveryError(`the SMTP server deferred the message: ${said}`, { code: String(replyCode) });
  if (replyCode !== undefined && replyCode >= 500 && replyCode < 600 && replyCode !== 503) {
    const recipient = (e.code === 'EENVELOPE' && e.command === 'RCPT TO') || (mailboxCodes.has(replyCode) && mailboxWords.test(said));
    return new PermanentDeliveryError(`the SMTP server refused the ${recipient ? 'recipient' : 'message'}: ${said}`, { code: String(replyCode), bounced: recipient });
  }
  if (e.code === 'EENVELOPE' && replyCode === undefined)
    return new PermanentDeliveryError(`the message's addresses were refused before sending: ${said}`, { code: 'EENVELOPE', bounced: /recipient/i.test(said) });
  return new TransientDeliveryError(`could not deliver through the SMTP server ${where}${e.code ? ` (${e.code})` : ''}: ${said}`, { code: e.code ?? (replyCode ? String(replyCode) : undefined) });
}

/** Removes the password (as typed, and as AUTH PLAIN / LOGIN send it) from text the server or a library wrote. */
function scrubber(user: string, password: string): (text: string) => string {
  if (password.length < 4) return (text) => text;
  const forms = [password, Buffer.from(password).toString('base64'), Buffer.from(`\0${user}\0${password}`).toString('base64')];
  return (text) => forms.reduce((out, form) => out.replaceAll(form, '••••'), text);
}
