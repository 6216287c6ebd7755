#!/usr/bin/env node
// Builds the web app into packages/web/dist when a source is newer than the last build
// (`npm start` runs it first, so a fresh clone serves the pages without a separate step).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'packages/web');
const built = path.join(web, 'dist/index.html');

function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = s.mtimeMs;
  for (const e of readdirSync(p))
    if (e !== 'node_modules' && e !== 'dist' && e !== 'dist-server') m = Math.max(m, newest(path.join(p, e)));
  return m;
}

const sources = [
  path.join(web, 'src'),
  path.join(web, 'index.html'),
  path.join(web, 'vite.config.ts'),
  path.join(root, 'packages/core/src'),
];
const force = process.argv.includes('--force');
if (!force && existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) {
  process.exit(0);
}
console.log('Building the web app…');
// Always a production build: run from a test (Vitest sets NODE_ENV=test) Vite would otherwise bundle
// React's development build, several times slower, and `npm start` would then serve it.
const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
  cwd: web,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
if (r.status !== 0) process.exit(r.status ?? 1);
// The server's renderer of the same pages (src/entry-server.tsx): the server draws a page's HTML with it.
const ssr = spawnSync(
  'npx',
  ['vite', 'build', '--ssr', 'src/entry-server.tsx', '--outDir', 'dist-server', '--emptyOutDir', '--logLevel', 'warn'],
  { cwd: web, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
);
if (ssr.status !== 0) process.exit(ssr.status ?? 1);

// Each script, style and data file also as brotli and gzip, once, at their best compression: the
// server sends the form the browser accepts (@fastify/static's preCompressed) without compressing per
// request. A reader on a slow connection downloads about a quarter of the bytes.
const assets = path.join(web, 'dist/assets');
let raw = 0;
let br = 0;
for (const f of readdirSync(assets)) {
  if (!/\.(js|css|json|svg)$/.test(f)) continue;
  const file = path.join(assets, f);
  const bytes = readFileSync(file);
  if (bytes.length < 1024) continue;
  const b = brotliCompressSync(bytes, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  writeFileSync(`${file}.br`, b);
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  raw += bytes.length;
  br += b.length;
}
console.log(`Assets compressed: ${(raw / 1024).toFixed(0)} kB, ${(br / 1024).toFixed(0)} kB as brotli.`);
