import type { Channel } from './channel.ts';

/** Channels without a configured provider: the message is recorded, nothing leaves the machine. */
export const sandboxChannel: Channel = {
  recordsOnly: true,
  async send(message) {
    return { providerId: `sandbox:${message.id}` };
  },
};
