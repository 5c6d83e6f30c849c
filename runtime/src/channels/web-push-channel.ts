import type { AdapterFactory } from '../services/providers/provider-channels.ts';

/** The push provider adapter (being built). */
export const webPushChannel: AdapterFactory = (provider) => ({
  async send() {
    throw new Error(`the ${provider.kind} adapter is not built yet`);
  },
});
