import { createHmac } from 'node:crypto';
import { PermanentDeliveryError, type Channel } from './channel.ts';

/**
 * Calls the webhook with its rendered method, URL, headers and JSON body, signed with
 * `X-Waymark-Signature: sha256=<hmac>` over the body when a secret is configured. 2xx is success;
 * 408, 429 and 5xx are retried; other 4xx fail for good.
 */
export function webhookChannel({ secret, timeoutMs = 10_000 }: { secret?: string; timeoutMs?: number } = {}): Channel {
  return {
    async send(message) {
      const { method = 'POST', url, headers = {}, body } = message.content as { method?: string; url: string; headers?: Record<string, string>; body?: unknown };
      const payload = body === undefined || method === 'GET' ? undefined : JSON.stringify(body);
      const signature = secret && payload ? { 'x-waymark-signature': `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}` } : {};
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json', 'x-waymark-message-id': message.id, ...signature, ...headers },
          body: payload,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        if (error instanceof TypeError && /invalid url/i.test(String((error as Error & { cause?: unknown }).cause ?? error.message))) {
          throw new PermanentDeliveryError(`the URL "${url}" is not valid`);
        }
        throw new Error(`webhook request failed: ${(error as Error).message}`);
      }
      await response.body?.cancel();
      if (response.ok) return { providerId: response.headers.get('x-request-id') ?? undefined };
      const message_ = `webhook answered ${response.status} ${response.statusText}`;
      if (response.status === 408 || response.status === 429 || response.status >= 500) throw new Error(message_);
      throw new PermanentDeliveryError(message_);
    },
  };
}
