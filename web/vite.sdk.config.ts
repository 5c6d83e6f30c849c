import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

/*
 * The browser script `sdk.js` (global `Waymark`) and its service worker `waymark-sw.js`: each one
 * self-contained IIFE without dependencies, added to the app's build folder (run after `vite build`).
 * Rollup cannot write two IIFE entries in one build, so the worker is built when the script is done.
 */
const entry = (name: string) => fileURLToPath(new URL(`src/sdk/${name}`, import.meta.url));

function serviceWorker(): Plugin {
  let outDir = 'dist';
  return {
    name: 'waymark-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        build: { outDir, emptyOutDir: false, copyPublicDir: false, lib: { entry: entry('service-worker.ts'), formats: ['iife'], name: 'WaymarkServiceWorker', fileName: () => 'waymark-sw.js' } },
      });
    },
  };
}

export default defineConfig({
  publicDir: false,
  plugins: [serviceWorker()],
  build: { outDir: 'dist', emptyOutDir: false, target: 'es2020', lib: { entry: entry('sdk.ts'), formats: ['iife'], name: 'WaymarkSdk', fileName: () => 'sdk.js' } },
});
