/** The customer's email: the email channel's address, else the `email` trait. */
export function customerEmail(traits: Record<string, unknown>, channels: Record<string, { address?: string | null } | undefined>): string | null {
  return channels.email?.address ?? (typeof traits.email === 'string' ? traits.email : null);
}

/** The name a person would use for a customer: name, first and last name, email, user id, phone; null for an anonymous visitor. */
export function bestName(traits: Record<string, unknown>, ids: { email?: string | null; userId?: string | null; phone?: string | null }): string | null {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : null);
  const full = [text(traits.first_name ?? traits.firstName), text(traits.last_name ?? traits.lastName)].filter(Boolean).join(' ');
  return text(traits.name) ?? (full || null) ?? ids.email ?? text(traits.email) ?? ids.userId ?? ids.phone ?? null;
}
