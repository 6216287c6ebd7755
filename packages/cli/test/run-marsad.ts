import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { format } from 'node:util';
import { afterEach, inject, vi } from 'vitest';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
/** The real command: bin/marsad.js loads tsx, which runs the TypeScript sources. */
const BIN = path.join(ROOT, 'packages/cli/bin/marsad.js');
/**
 * The same command built into one JavaScript file for this run (global-setup.ts, build-bundle.ts): the same sources,
 * started without tsx, whose loader costs seconds on every start. bin/marsad.js when a run did not build it.
 */
const BUNDLE = inject('marsadCliBundle') ?? BIN;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Commands still running: a test that ended (passed, failed or timed out) leaves none behind. */
const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

export interface Started {
  child: ChildProcess;
  /** The first match of `pattern` in what the command wrote so far or writes next (standard output, then error). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** What it wrote so far. */
  output(): { stdout: string; stderr: string };
  /** When it ends: its code (-1 if killed), the signal that ended it, and all it wrote. */
  ended: Promise<Run & { signal: NodeJS.Signals | null }>;
}

/**
 * Starts the real `marsad` command (without the suite's DATABASE_URL unless `env` gives one), for a test to watch or
 * kill: its sources built into one file for this run (BUNDLE), or with `{ bin: true }` packages/cli/bin/marsad.js as
 * `npx marsad` starts it.
 */
export function startMarsad(
  args: string[],
  env: Record<string, string | undefined>,
  stdin?: string,
  o: { bin?: boolean } = {},
): Started {
  const child = spawn(process.execPath, [o.bin ? BIN : BUNDLE, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: undefined, ...env },
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let closed = false;
  const watchers = new Set<() => void>();
  const changed = () => {
    for (const w of watchers) w();
  };
  child.stdout.on('data', (d) => {
    stdout += d;
    changed();
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    changed();
  });
  const ended = new Promise<Run & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running.delete(child);
      closed = true;
      resolve({ code: code ?? -1, signal, stdout, stderr });
      changed();
    });
  });
  child.stdin.end(stdin ?? '');
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const look = () => {
        const m = pattern.exec(stdout) ?? pattern.exec(stderr);
        if (m) {
          watchers.delete(look);
          resolve(m);
        } else if (closed) {
          watchers.delete(look);
          reject(new Error(`marsad ${args.join(' ')} ended without writing ${pattern}:\n${stdout}\n${stderr}`));
        }
      };
      watchers.add(look);
      look();
    });
  return { child, waitFor, ended, output: () => ({ stdout, stderr }) };
}

/** Runs the real `marsad` command (without the suite's DATABASE_URL unless `env` gives one); startMarsad says which. */
export async function marsad(
  args: string[],
  env: Record<string, string | undefined>,
  stdin?: string,
  o: { bin?: boolean } = {},
): Promise<Run> {
  const { code, stdout, stderr } = await startMarsad(args, env, stdin, o).ended;
  return { code, stdout, stderr };
}

/**
 * Runs a command's function in this process, as main.ts's `run` does for the real command: what it prints
 * (console.log to standard output, console.error to standard error), its code (0 when it returns nothing), and
 * on a throw `marsad: <message>` and 1. Each start of the real command costs seconds of loading the server's
 * modules, which the worker has loaded already: a test starts the real command where the process is what it is
 * about (its arguments, its exit code, its streams) and calls the function for the rest.
 */
export async function marsadInProcess(
  // biome-ignore lint/suspicious/noConfusingVoidType: a command returns its exit code, or nothing for 0
  command: () => Promise<number | void>,
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    stdout += `${format(...a)}\n`;
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    stderr += `${format(...a)}\n`;
  });
  try {
    const code = await command();
    return { code: typeof code === 'number' ? code : 0, stdout, stderr };
  } catch (err) {
    stderr += `marsad: ${(err as Error).message}\n`;
    return { code: 1, stdout, stderr };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
