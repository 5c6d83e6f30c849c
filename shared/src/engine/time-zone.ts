import { isValidTimeZone } from '../time/index.ts';
import type { CustomerProfile } from './types.ts';

/** The customer's `timezone` trait when it names a real zone; else the fallbacks in order; else UTC. */
export function customerTimeZone(customer: CustomerProfile, ...fallbacks: (string | undefined)[]): string {
  for (const zone of [customer.traits.timezone, ...fallbacks]) {
    if (isValidTimeZone(zone)) return zone;
  }
  return 'UTC';
}
