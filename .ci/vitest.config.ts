import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { PlainSummary } from './plain-summary.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** One vitest project per package; run from the root with `pnpm test`. */
export default defineConfig({
  test: {
    root,
    reporters: ['default', new PlainSummary()],
    projects: ['shared', 'examples', 'runtime', 'web'].map((name) => ({
      test: {
        name,
        root: `${root}${name}`,
        include: ['**/*.test.ts', '**/*.test.tsx'],
        exclude: ['**/node_modules/**'],
        ...(name === 'runtime' ? { globalSetup: ['test/support/global-setup.ts'], testTimeout: 60_000, hookTimeout: 60_000 } : {}),
      },
    })),
  },
});
