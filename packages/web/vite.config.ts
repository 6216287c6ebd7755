import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { type CatalogPart, compilePart } from './src/i18n/catalog-parts.ts';

/**
 * `./locales/<lang>.json?catalog=public|work` (src/i18n/i18n.ts): the part of a language's catalog that the public
 * pages need, or the rest, each ICU message parsed here, once (src/i18n/catalog-parts.ts). The browser then formats
 * without the ICU parser, which the build leaves out (resolve.alias below: FormatJS's `no-parser`, which throws if
 * a message reaches it unparsed).
 */
function compiledCatalogs(): Plugin {
  return {
    name: 'marsad-compiled-catalogs',
    enforce: 'pre',
    load(id) {
      const m = /^(.*\/i18n\/locales\/[a-z]{2}\.json)\?catalog=(public|work)$/.exec(id);
      if (!m) return null;
      const file = m[1] as string;
      const part = m[2] as CatalogPart;
      this.addWatchFile(file);
      const catalog = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const out = compilePart(catalog, part, file);
      // JSON.parse of a string literal: faster to start than the same object written as code.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(out))});`;
    },
  };
}

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
  plugins: [compiledCatalogs(), react(), pageModules()],
  // Messages arrive parsed (compiledCatalogs): intl-messageformat formats them without its parser.
  resolve: {
    alias: [
      { find: /^@formatjs\/icu-messageformat-parser$/, replacement: '@formatjs/icu-messageformat-parser/no-parser.js' },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // dist/.vite/manifest.json: which files each module became (the server's preloads read it).
    manifest: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: isSsrBuild
        ? { codeSplitting: false }
        : {
            // The code most pages share is one chunk, not twenty small ones: a page names fewer files ahead
            // (each <link rel="modulepreload"> costs the browser time before it draws the page: bench:first-heading).
            codeSplitting: { groups: [{ name: 'shared', minShareCount: 4 }] },
            // A catalog's part is named for its language and part: ar-public-….js, ar-work-….js.
            chunkFileNames: (chunk) =>
              `assets/[name]${/\?catalog=(public|work)$/.exec(chunk.facadeModuleId ?? '')?.[1]?.replace(/^/, '-') ?? ''}-[hash].js`,
          },
    },
    ...(isSsrBuild ? { manifest: false } : {}),
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
