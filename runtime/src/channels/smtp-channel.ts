import type { AdapterFactory } from '../services/providers/provider-channels.ts';

/** The SMTP provider adapter (being built). */
export const smtpChannel: AdapterFactory = (provider) => ({
  async send() {
    throw new Error(`the ${provider.kind} adapter is not built yet`);
  },
});
