import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes dist/page-modules.json: for each route of src/app/router.tsx whose page loads lazily, the
 * route's path (`/indicators/$code`) and the page's module (`src/pages/indicators/IndicatorPage.tsx`).
 * With the build's manifest (dist/.vite/manifest.json) the server names a page's code in the HTML it
 * sends (`<link rel="modulepreload">`, packages/server/src/web/page-preloads.ts), so the browser
 * loads it beside the app's own code instead of after it.
 */
function pageModules(): Plugin {
  return {
    name: 'marsad-page-modules',
    apply: 'build',
    generateBundle() {
      const router = readFileSync(new URL('./src/app/router.tsx', import.meta.url), 'utf8');
      const routes = router
        .split('createRoute(')
        .slice(1)
        .flatMap((block) => {
          const path = /\bpath:\s*'([^']+)'/.exec(block)?.[1];
          const module = /import\('\.\.\/(pages\/[^']+)'\)/.exec(block)?.[1];
          return path && module ? [{ path, module: `src/${module}` }] : [];
        });
      this.emitFile({ type: 'asset', fileName: 'page-modules.json', source: `${JSON.stringify(routes, null, 1)}\n` });
    },
  };
}

// The web app is built into dist/ and served by the Marsad server at /.
export default defineConfig(({ isSsrBuild }) => ({
  plugins: [react(), pageModules()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // dist/.vite/manifest.json: which files each module became (the server's preloads read it).
    manifest: true,
    chunkSizeWarningLimit: 1200,
    ...(isSsrBuild ? { manifest: false, rolldownOptions: { output: { codeSplitting: false } } } : {}),
  },
  // The server's renderer (src/entry-server.tsx, `vite build --ssr`): one file with everything it uses, React's
  // production build among it (the server's process does not set NODE_ENV), so that the server loads one module.
  ...(isSsrBuild
    ? {
        ssr: { noExternal: true },
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      }
    : {}),
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
}));
