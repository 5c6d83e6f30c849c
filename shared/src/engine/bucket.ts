/**
 * A deterministic number in [0, 100) from a string: FNV-1a, then the murmur3 finalizer so that
 * similar ids (customer-1, customer-2) spread evenly. This is the engine's only "randomness".
 */
export function bucketOf(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return ((hash >>> 0) / 0x1_0000_0000) * 100;
}

/** The arm of a split a customer falls in: by weight, from their bucket for this journey and node (SPEC S12). */
export function armFor<Arm extends { weight: number }>(journeyId: string, nodeId: string, customerId: string, arms: readonly Arm[]): Arm {
  const bucket = bucketOf(`${journeyId}:${nodeId}:${customerId}`);
  let floor = 0;
  return (
    arms.find((candidate) => {
      floor += candidate.weight;
      return floor > bucket;
    }) ?? arms[arms.length - 1]!
  );
}
