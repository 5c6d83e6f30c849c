import type { NodeType } from '@waymark/shared';

/** Palette and node titles, icons and colours: one place, so the palette and the canvas agree. */
export const nodeLook: Record<NodeType, { title: string; icon: string; color: string; hint: string }> = {
  trigger: { title: 'Trigger', icon: '⚡', color: '#7c3aed', hint: 'How customers enter' },
  wait: { title: 'Wait', icon: '⏳', color: '#0891b2', hint: 'A delay, a time of day or a date' },
  'wait-for-event': { title: 'Wait for event', icon: '👂', color: '#0e7490', hint: 'Until an event, or a timeout' },
  condition: { title: 'Condition', icon: '⑂', color: '#ca8a04', hint: 'Yes / no on traits, events, messages' },
  split: { title: 'A/B split', icon: '⚖', color: '#db2777', hint: 'Random arms, with a holdout' },
  send: { title: 'Send', icon: '✉', color: '#2563eb', hint: 'Email, SMS, push, webhook or in-app' },
  'update-profile': { title: 'Update profile', icon: '✎', color: '#65a30d', hint: 'Set or remove traits' },
  exit: { title: 'Exit', icon: '⏹', color: '#475569', hint: 'End the journey here' },
};

/** Per channel: the send node's icon and colour. */
export const channelLook: Record<string, { icon: string; color: string }> = {
  email: { icon: '✉', color: '#2563eb' },
  sms: { icon: '💬', color: '#16a34a' },
  push: { icon: '🔔', color: '#ea580c' },
  webhook: { icon: '🔗', color: '#475569' },
  'in-app': { icon: '📱', color: '#9333ea' },
};
