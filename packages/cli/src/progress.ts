import cliProgress from 'cli-progress';

/** A progress bar on a terminal, nothing otherwise (CI logs, pipes). */
export function progressBar(label: string, total: number, unit = 'bytes'): { update(n: number): void; stop(): void } {
  if (!process.stderr.isTTY || total <= 0) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} {unit}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { unit });
  return { update: (n) => bar.update(n), stop: () => bar.stop() };
}

/** Counts the bytes of a stream as it is read. */
export async function* counting(
  input: AsyncIterable<Uint8Array | string>,
  onBytes: (n: number) => void,
): AsyncGenerator<Uint8Array | string> {
  let n = 0;
  for await (const chunk of input) {
    n += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    onBytes(n);
    yield chunk;
  }
}
