/**
 * Failed sign-ins, counted in this process: at most 5 per account and 20 per address in any
 * 15 minutes; past that, sign-in is refused (HTTP 429) until the oldest failure is 15 minutes
 * old. A successful sign-in clears the account's count (not the address's).
 */
export interface LoginLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60 * 1000 };

/** Past this many keys, the oldest are dropped (memory stays bounded under a spray of addresses). */
const MAX_KEYS = 100_000;

export interface LoginBlock {
  scope: 'account' | 'address';
  retryAt: Date;
  retryAfterSeconds: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const since = this.now() - this.limits.windowMs;
    const kept = list.filter((t) => t > since);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  private blockOf(key: string, limit: number, scope: LoginBlock['scope']): LoginBlock | null {
    const list = this.recent(key);
    if (list.length < limit) return null;
    // Free again when enough of the failures have left the window.
    const until = list[list.length - limit]! + this.limits.windowMs;
    return { scope, retryAt: new Date(until), retryAfterSeconds: Math.max(1, Math.ceil((until - this.now()) / 1000)) };
  }

  /** Whether a sign-in for this account from this address is refused now. */
  check(account: string, address: string): LoginBlock | null {
    return (
      this.blockOf(`a:${account.toLowerCase()}`, this.limits.perAccount, 'account') ??
      this.blockOf(`ip:${address}`, this.limits.perAddress, 'address')
    );
  }

  recordFailure(account: string, address: string): void {
    const t = this.now();
    for (const key of [`a:${account.toLowerCase()}`, `ip:${address}`]) {
      const list = this.recent(key);
      list.push(t);
      this.failures.delete(key);
      this.failures.set(key, list);
    }
    while (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  recordSuccess(account: string): void {
    this.failures.delete(`a:${account.toLowerCase()}`);
  }
}

/** The message of a 429: who is blocked and when to try again. */
export function loginBlockMessage(block: LoginBlock): string {
  const minutes = Math.ceil(block.retryAfterSeconds / 60);
  const when = `${block.retryAt.toISOString().slice(11, 16)} UTC`;
  const who = block.scope === 'account' ? 'this account' : 'your address';
  return `Too many failed sign-ins for ${who}; try again in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${when}).`;
}
