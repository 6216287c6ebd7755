/**
 * A place where the fault tests (packages/cli/test/backup.test.ts) kill the process. With MARSAD_FAULT_STOP set to
 * this point's name, the process says so on standard error and stops itself (SIGSTOP) right there, so that a test can
 * kill it (SIGKILL) at a known moment instead of guessing one with a timer. Unset, it does nothing.
 */
export function faultPoint(name: string): void {
  if (process.env.MARSAD_FAULT_STOP !== name) return;
  // Synchronous on a pipe or a terminal: written before the process stops.
  process.stderr.write(`marsad: stopped at ${name} (MARSAD_FAULT_STOP)\n`);
  process.kill(process.pid, 'SIGSTOP');
}
