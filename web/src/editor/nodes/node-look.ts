import { Bell, Ear, GitBranch, Hourglass, LogOut, type LucideIcon, Mail, MessageSquare, Send, Smartphone, Split, UserPen, Webhook, Zap } from 'lucide-react';
import type { NodeType } from '@waymark/shared';

/** How a node type looks in the palette and on the canvas: one place, so both agree. Icons are SVG (lucide). */
export interface NodeLook {
  title: string;
  icon: LucideIcon;
  color: string;
  hint: string;
}

/** Palette and node titles, icons and colours (each colour passes AA against white for 3:1 graphics). */
export const nodeLook: Record<NodeType, NodeLook> = {
  trigger: { title: 'Trigger', icon: Zap, color: '#7c3aed', hint: 'How customers enter' },
  wait: { title: 'Wait', icon: Hourglass, color: '#0e7490', hint: 'A delay, a time of day or a date' },
  'wait-for-event': { title: 'Wait for event', icon: Ear, color: '#0f766e', hint: 'Until an event, or a timeout' },
  condition: { title: 'Condition', icon: GitBranch, color: '#a16207', hint: 'Yes / no on traits, events, messages' },
  split: { title: 'A/B split', icon: Split, color: '#be185d', hint: 'Random arms, with a holdout' },
  send: { title: 'Send', icon: Send, color: '#2563eb', hint: 'Email, SMS, push, webhook or in-app' },
  'update-profile': { title: 'Update profile', icon: UserPen, color: '#4d7c0f', hint: 'Set or remove traits' },
  exit: { title: 'Exit', icon: LogOut, color: '#475569', hint: 'End the journey here' },
};

/** Per channel: the send node's icon, colour and the words used in its name ("Send SMS"). */
export const channelLook: Record<string, { icon: LucideIcon; color: string; name: string; action: string }> = {
  email: { icon: Mail, color: '#2563eb', name: 'Email', action: 'Send email' },
  sms: { icon: MessageSquare, color: '#15803d', name: 'SMS', action: 'Send SMS' },
  push: { icon: Bell, color: '#c2410c', name: 'Push', action: 'Send push' },
  webhook: { icon: Webhook, color: '#475569', name: 'Webhook', action: 'Call webhook' },
  'in-app': { icon: Smartphone, color: '#9333ea', name: 'In-app', action: 'Show in-app message' },
};
