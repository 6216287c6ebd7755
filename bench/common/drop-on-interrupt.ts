/**
 * A benchmark's database dropped once, at its end or on Ctrl-C (exit 130), whichever comes first.
 * Returns the function that drops it, for the benchmark's `finally`.
 */
export function dropOnInterrupt(db: { drop(): Promise<void> }): () => Promise<void> {
  let dropping: Promise<void> | null = null;
  const drop = () => {
    dropping ??= db.drop().catch(() => undefined);
    return dropping;
  };
  process.on('SIGINT', () => void drop().then(() => process.exit(130)));
  return drop;
}
