import { startFakeTwilio } from '../../runtime/test/support/fake-twilio.ts';
import { startSmtpPeer } from '../../runtime/test/support/smtp-peer.ts';

/**
 * The benchmark's receiving peers in a process of their own, as a real SMTP server or SMS API
 * would be: `smtp` or `twilio`. Sends `{ port | url }` on IPC when listening, answers `stats`
 * with what it received, and stops on `stop`.
 */
const kind = process.argv[2];
const send = (message: object) => process.send?.(message);
if (kind === 'smtp') {
  const peer = await startSmtpPeer();
  send({ port: peer.port });
  process.on('message', async (message) => {
    if (message === 'stats') send({ connections: peer.connections, messages: peer.messages.length });
    if (message === 'stop') {
      await peer.stop();
      process.exit(0);
    }
  });
} else {
  const twilio = await startFakeTwilio({ accountSid: 'ACbench', authToken: 'bench-token-0000' });
  send({ url: twilio.url });
  process.on('message', async (message) => {
    if (message === 'stats') send({ requests: twilio.requests.length });
    if (message === 'stop') {
      await twilio.close();
      process.exit(0);
    }
  });
}
