/**
 * A place where the fault tests (packages/cli/test/backup.test.ts) kill a process: in a backup after a table
 * (`backup-after:<table>`, the CLI's backup command), in an import once its rows are written and not yet committed
 * (`import-written`, runImport). With MARSAD_FAULT_STOP set to the point's name, the process says so on standard
 * error and stops itself (SIGSTOP) right there, so that a test can kill it (SIGKILL) at a known moment instead of
 * guessing one with a timer. Unset, as always outside those tests, it does nothing.
 */
export function faultPoint(name: string): void {
  if (process.env.MARSAD_FAULT_STOP !== name) return;
  // Synchronous on a pipe or a terminal: written before the process stops.
  process.stderr.write(`marsad: stopped at ${name} (MARSAD_FAULT_STOP)\n`);
  process.kill(process.pid, 'SIGSTOP');
}
