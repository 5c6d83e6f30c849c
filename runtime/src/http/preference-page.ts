import type { PreferenceChannel, RecipientPreferences } from '../services/engagement/recipient-preferences.ts';

/** Text made safe for HTML text and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.codePointAt(0)};`);
}

const styles =
  'body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#111827}' +
  'fieldset{border:1px solid #d1d5db;border-radius:8px;margin:0 0 1.25rem;padding:.75rem 1rem}legend{font-weight:600;padding:0 .25rem}' +
  'label{display:flex;gap:.75rem;align-items:center;padding:.5rem 0;font-size:1.05rem}input[type=checkbox]{width:1.4rem;height:1.4rem;flex:none}' +
  'button{font:inherit;padding:.6rem 1.4rem;border-radius:6px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff}a{color:#1d4ed8}' +
  '.note{color:#4b5563;font-size:.95rem}';

/** A page for the people messages go to: no scripts (the CSP allows none inline), readable on a phone. Title and body are HTML already escaped. */
export function recipientPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>${styles}</style></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

const channelNames: Record<PreferenceChannel, string> = { email: 'Email', sms: 'Text messages (SMS)', push: 'Browser notifications' };

/** "a•••@example.com": enough for the reader to know the page is theirs, little for someone it was forwarded to. */
function masked(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 ? `${address[0]}•••${address.slice(at)}` : '•••';
}

/** The preference form: a checkbox per channel the customer can be reached on and per topic, posted back to the same address. */
export function preferenceForm(preferences: RecipientPreferences, notice = ''): string {
  const box = (name: string, label: string, checked: boolean) => `<label><input type="checkbox" name="${escapeHtml(name)}" value="on"${checked ? ' checked' : ''}> ${escapeHtml(label)}</label>`;
  const intro = preferences.email ? `<p class="note">Choose what we send to ${escapeHtml(masked(preferences.email))}.</p>` : '<p class="note">Choose how we may contact you.</p>';
  const channels = preferences.channels.length
    ? `<fieldset><legend>Send me messages by</legend>${preferences.channels.map((c) => box(c.channel, channelNames[c.channel], c.subscribed)).join('')}</fieldset>`
    : '';
  const topics = preferences.topics.length
    ? `<fieldset><legend>Email topics</legend>${preferences.topics.map((t) => box(`topic:${t.id}`, t.name, t.subscribed)).join('')}<p class="note">Topics apply while email is on.</p></fieldset>`
    : '';
  const form = `<form method="post"><input type="hidden" name="submitted" value="1">${channels}${topics}<button type="submit">Save preferences</button></form>`;
  return recipientPage('Your preferences', `${notice}${intro}${form}`);
}
