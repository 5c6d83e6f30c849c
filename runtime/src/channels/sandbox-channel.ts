import type { Channel } from './channel.ts';

/** Channels without a configured provider: the message is recorded, nothing leaves the machine. */
export const sandboxChannel: Channel = {
  async send(message) {
    return { providerId: `sandbox:${message.id}` };
  },
};
