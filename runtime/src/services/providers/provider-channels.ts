import type { ProviderKind } from '@waymark/shared';
import type { Channel } from '../../channels/channel.ts';
import type { Db } from '../../db/database.ts';
import { logErrorOnce } from '../../log.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { type LoadedProvider, loadProviders } from './provider-store.ts';

/** What an adapter needs beyond its provider: where recipients and callbacks reach this runtime, the database (push subscriptions). */
export interface AdapterDeps {
  publicUrl: string;
  db: Db;
  /** Signs tracking links (the runtime's secret box): web push's tracked click. */
  signer?: { sign(data: string): string };
}

/** Builds the channel adapter of one provider (an SMTP pool, an SMS API client, a web push sender). */
export type AdapterFactory = (provider: LoadedProvider, deps: AdapterDeps) => Channel;

/** A workspace's provider ready to send: its adapter, and `limit()` to await before each send (its rate). */
export interface ProviderRoute {
  providerId: string;
  channel: Channel;
  limit(): Promise<void>;
}

export type ProviderChannels = ReturnType<typeof createProviderChannels>;

/**
 * The workspaces' providers as channel adapters. Each delivery batch reads the rows of the
 * workspaces it serves (one query, so a change made by another process is seen at once); an
 * adapter is built once per provider version and closed when the provider changes or goes, so an
 * SMTP pool is reused across batches. Each provider's rate limit spaces its sends evenly in this
 * process (`ratePerSecond`; a runtime with several worker processes gives each the whole rate).
 */
export function createProviderChannels(db: Db, box: SecretBox, factories: Partial<Record<ProviderKind, AdapterFactory>>, publicUrl: string) {
  const built = new Map<string, { version: string; channel: Channel; nextSlot: number }>();
  const retire = (id: string) => {
    const old = built.get(id);
    built.delete(id);
    Promise.resolve(old?.channel.close?.()).catch((error) => logErrorOnce(`provider-close:${id}`, error, 'could not close a provider connection'));
  };
  const adapterOf = (provider: LoadedProvider) => {
    const existing = built.get(provider.id);
    if (existing && existing.version === provider.version) return existing;
    if (existing) retire(provider.id);
    const factory = factories[provider.kind];
    const channel: Channel = factory
      ? factory(provider, { publicUrl, db, signer: box })
      : {
          async send() {
            throw new Error(`no adapter for ${provider.kind} providers in this runtime`);
          },
        };
    const entry = { version: provider.version, channel, nextSlot: 0 };
    built.set(provider.id, entry);
    return entry;
  };
  return {
    /** The providers of these workspaces on `channel`; a workspace without one is absent (its messages use the sandbox). */
    async forWorkspaces(channel: string, workspaceIds: string[]): Promise<Map<string, ProviderRoute>> {
      const loaded = await loadProviders(db, box, channel, workspaceIds);
      const routes = new Map<string, ProviderRoute>();
      for (const [workspaceId, provider] of loaded) {
        const entry = adapterOf(provider);
        const rate = typeof provider.settings.ratePerSecond === 'number' && provider.settings.ratePerSecond > 0 ? provider.settings.ratePerSecond : null;
        routes.set(workspaceId, {
          providerId: provider.id,
          channel: entry.channel,
          limit: rate === null ? async () => {} : () => nextSlot(entry, 1_000 / rate),
        });
      }
      return routes;
    },
    /** The adapter of one provider, for "send test". */
    adapterFor(provider: LoadedProvider): Channel {
      return adapterOf(provider).channel;
    },
    async close() {
      for (const id of [...built.keys()]) retire(id);
    },
  };
}

/** Waits for the provider's next free slot: sends are spaced `gapMs` apart however many lanes ask at once. */
async function nextSlot(entry: { nextSlot: number }, gapMs: number): Promise<void> {
  const now = performance.now();
  const slot = Math.max(now, entry.nextSlot);
  entry.nextSlot = slot + gapMs;
  if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
}
