import type { AdapterFactory } from '../services/providers/provider-channels.ts';

/** The SMS provider adapter (being built). */
export const twilioChannel: AdapterFactory = (provider) => ({
  async send() {
    throw new Error(`the ${provider.kind} adapter is not built yet`);
  },
});
