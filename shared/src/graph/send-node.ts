import { z } from 'zod';
import { Channel, ChannelContent } from './channel.ts';
import { choiceOf, nodeOf } from './node-base.ts';

/** Send on one channel, or on the customer's preferred reachable channel from an ordered list. */
export const Delivery = z.discriminatedUnion('mode', [
  z.object({ mode: choiceOf('channel', 'Send on', 'One channel'), channel: Channel }),
  z.object({
    mode: choiceOf('preferred-channel', 'Send on', 'Their preferred channel'),
    /** Tried in this order after the customer's own preference. */
    channels: z.array(Channel).min(1, 'List at least one channel'),
  }),
]);
export type Delivery = z.infer<typeof Delivery>;

export const SendNodeData = z
  .object({
    name: z.string().max(120).optional(),
    delivery: Delivery,
    content: ChannelContent,
    /** Transactional messages (receipts, password resets) bypass quiet hours and the frequency cap. */
    transactional: z.boolean().default(false),
    /**
     * The email topic this message belongs to (an id of the workspace's topics): customers who left
     * the topic are not sent it by email. Other channels ignore it.
     */
    topic: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'A topic id is lower-case letters, digits, - or _')
      .meta({ title: 'Email topic', description: 'People who left this topic on the preference page are not sent this email.' })
      .optional(),
  })
  .superRefine((data, ctx) => {
    for (const channel of deliveryChannels(data.delivery)) {
      if (!data.content[channel]) {
        ctx.addIssue({ code: 'custom', path: ['content', channel], message: `Write the ${channel} content` });
      }
    }
  });
export type SendNodeData = z.infer<typeof SendNodeData>;

/** Every channel a delivery may use, in the order it would try them. */
export function deliveryChannels(delivery: Delivery): Channel[] {
  return delivery.mode === 'channel' ? [delivery.channel] : delivery.channels;
}

/** Sends a message. Handle: `next` (taken whether the message was sent or skipped). */
export const SendNode = nodeOf('send', SendNodeData);
export type SendNode = z.infer<typeof SendNode>;
