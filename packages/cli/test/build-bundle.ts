import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
// esbuild: a development dependency, the version tsx (which runs the real command) uses.
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MAIN = path.join(ROOT, 'packages/cli/src/main.ts');

/**
 * The sources keep finding their files beside them: each `import.meta.url` (and `.dirname`, `.filename`) of a
 * TypeScript source is its own file's, as under tsx, not the bundle's (the migrations, the catalogue, the
 * demonstration data, the web build, the PDF worker).
 */
const ownImportMeta: Plugin = {
  name: 'own-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?ts$/ }, async ({ path: file }) => {
      const text = await readFile(file, 'utf8');
      return {
        loader: 'ts',
        contents: text
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href))
          .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(file)))
          .replaceAll('import.meta.filename', JSON.stringify(file)),
      };
    });
  },
};

/** The workspace's packages (@marsad/*, TypeScript) go into the bundle; every other package is loaded from node_modules. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@marsad/') || path.isAbsolute(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Builds the `marsad` command (packages/cli/src/main.ts and the workspace's sources it imports) into one
 * JavaScript file that Node.js runs without tsx, and returns its path. The tests start it instead of
 * packages/cli/bin/marsad.js: the same code, without tsx's loader, whose hooks cost seconds on every start
 * (cli.test.ts still starts the real bin/marsad.js). Written under node_modules/.cache, so that the packages it
 * leaves out resolve from the repository's node_modules; `dir` names a folder of this run's own.
 */
export async function buildCliBundle(dir: string): Promise<string> {
  const cache = path.join(ROOT, 'node_modules/.cache/marsad-cli-test');
  await removeAbandoned(cache);
  const out = path.join(cache, dir);
  await mkdir(out, { recursive: true });
  const file = path.join(out, 'marsad.mjs');
  const partial = `${file}.${process.pid}.tmp`;
  await build({
    entryPoints: [MAIN],
    outfile: partial,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // As tsx compiles the sources: functions and classes keep their names (an error's name, say).
    keepNames: true,
    logLevel: 'error',
    plugins: [externalPackages, ownImportMeta],
  });
  await rename(partial, file);
  return file;
}

export async function removeCliBundle(file: string): Promise<void> {
  await rm(path.dirname(file), { recursive: true, force: true });
}

/** The folders (run-PID) of runs that ended without removing theirs (stopped by a signal, say). */
async function removeAbandoned(cache: string): Promise<void> {
  const entries = await readdir(cache).catch(() => [] as string[]);
  for (const name of entries) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (pid && !alive(pid)) await rm(path.join(cache, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
