import { z } from 'zod';
import { PermanentDeliveryError, type Channel } from './channel.ts';
import { safeFetch, type SafeFetchOptions } from './safe-fetch.ts';
import { webhookSignature, webhookSignatureHeaderName } from './webhook-signature.ts';

/** A workspace's webhook settings: whether private networks are reachable, and its signing secrets (current first). */
export interface WebhookPolicy {
  allowPrivateNetworks: boolean;
  signingSecrets: string[];
}

/** A rendered webhook as the channel sends it: anything else (a send test's hand-written content) is refused, not guessed at. */
const WebhookRequest = z.object({
  method: z
    .string()
    .regex(/^[A-Za-z]{1,10}$/, 'must be an HTTP method such as POST')
    .optional(),
  url: z.string().max(8_192),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
});

// Set by Waymark after the author's headers; an author header of the same name (any case) is dropped.
const waymarkHeaders = new Set(['waymark-message-id', 'waymark-signature', 'user-agent']);

/**
 * Calls the webhook with its rendered method, URL, headers and JSON body through `safeFetch`, signed with
 * `Waymark-Signature` when the workspace has secrets. 2xx is success; 408, 429 and 5xx are retried; other
 * 4xx, an invalid URL and a refused destination fail for good.
 */
export function webhookChannel({
  policyFor,
  now = Date.now,
  fetchOptions,
}: {
  policyFor: (workspaceId: string) => Promise<WebhookPolicy>;
  now?: () => number;
  fetchOptions?: SafeFetchOptions;
}): Channel {
  return {
    async send(message) {
      const parsed = WebhookRequest.safeParse(message.content);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new PermanentDeliveryError(`the webhook's ${issue.path.join('.') || 'content'} is not valid: ${issue.message}`);
      }
      const { method: rawMethod = 'POST', url, headers = {}, body } = parsed.data;
      const method = rawMethod.toUpperCase();
      if (!URL.canParse(url)) throw new PermanentDeliveryError(`the URL "${url}" is not valid`);
      const payload = body === undefined || method === 'GET' || method === 'HEAD' ? undefined : JSON.stringify(body);
      const policy = await policyFor(message.workspaceId);
      const authorHeaders = Object.entries(headers).filter(([name]) => !waymarkHeaders.has(name.toLowerCase()));
      const hasContentType = authorHeaders.some(([name]) => name.toLowerCase() === 'content-type');
      const response = await safeFetch(
        url,
        {
          method,
          headers: {
            ...Object.fromEntries(authorHeaders),
            ...(hasContentType ? {} : { 'Content-Type': 'application/json' }),
            'Waymark-Message-Id': message.id,
            ...(policy.signingSecrets.length ? { [webhookSignatureHeaderName]: webhookSignature({ url, body: payload ?? '' }, policy.signingSecrets, now()) } : {}),
            'User-Agent': 'Waymark-Webhooks/1',
          },
          body: payload,
        },
        policy,
        { maxBodyBytes: 0, ...fetchOptions },
      );
      if (response.status >= 200 && response.status < 300) return { providerId: response.headers.get('x-request-id') ?? undefined };
      const failure = `webhook answered ${response.status} ${response.statusText}`;
      if (response.status === 408 || response.status === 429 || response.status >= 500) throw new Error(failure);
      throw new PermanentDeliveryError(failure);
    },
  };
}
