import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `pnpm dev`: the builder with HMR, the APIs proxied to a runtime on :3000 (`pnpm start`). */
const runtime = process.env.WAYMARK_RUNTIME_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': runtime, '/v1': runtime, '/t': runtime } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1_500 },
});
