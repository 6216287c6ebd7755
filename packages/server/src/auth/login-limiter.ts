import type { Schema } from '@marsad/db';
import type { Kysely } from 'kysely';

/**
 * Sign-in limits (OWASP Authentication Cheat Sheet, "Protect against automated attacks"), counted in
 * the database (`login_failures`, migration 015) so that every server process on it shares them.
 * A failure is a wrong password for an e-mail address (known or not) from a client address, within
 * the last 15 minutes:
 *
 * - **Account from one address**: after 5 failures, that account is refused from that address
 *   (429 with when to try again) until the fifth last failure is 15 minutes old. The owner signing
 *   in from anywhere else is not affected, and a successful sign-in forgets the failures of that
 *   account from that address.
 * - **Address**: after 100 failures from one address (for any accounts), the accounts that have
 *   failed from it are refused there too, until the address is under 100 again or the account's
 *   failures from it are 15 minutes old. An account that has not failed from that address is still
 *   checked: many people may share one address (an office behind NAT, a proxy that is not
 *   trusted), so a spray of guesses from it must not keep its other users out.
 * - **Account, from anywhere**: never refused, only slowed: from the third failure on, a sign-in for
 *   the account waits until 1, 2, then at most 4 seconds have passed since its last failure. A
 *   stream of guesses is slowed so; the owner gets in at most 4 seconds late, whoever is guessing.
 *
 * Attempts count from the moment their password check starts (the row is written first and deleted
 * unless the password was wrong), so guesses sent at the same moment cannot all slip under a limit.
 */
export interface LoginLimits {
  /** Failures of one account from one address before that pair is refused. */
  perAccountAddress: number;
  /** Failures from one address before the accounts that failed from it are refused there. */
  perAddress: number;
  /** The window failures are counted in. */
  windowMs: number;
  /** Failures of one account (from anywhere) before its sign-ins are slowed. */
  slowAfter: number;
  /** The first wait; each further failure doubles it, up to maxDelayMs. */
  delayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAccountAddress: 5,
  perAddress: 100,
  windowMs: 15 * 60 * 1000,
  slowAfter: 3,
  delayMs: 1000,
  maxDelayMs: 4000,
};

/** The time, and a wait that does not hold up other requests; tests give their own. */
export interface LoginClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: LoginClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface LoginBlock {
  /** 'account': this account from this address; 'address': this address, for accounts that failed from it. */
  scope: 'account' | 'address';
  retryAt: Date;
  retryAfterSeconds: number;
}

export type LoginOutcome = { block: LoginBlock } | { ok: boolean; waitedMs: number };

/** Expired rows deleted per write, so that no single sign-in pays for a long backlog. */
const PRUNE_BATCH = 1000;

/**
 * The address failures are counted under: IPv4 as it is, an IPv4-mapped IPv6 address as its IPv4
 * address, any other IPv6 address as its /64 network (one site or household gets a whole /64, so
 * counting single IPv6 addresses would let one client change address at every guess).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  const bare = ip.replace(/%.*$/, '').toLowerCase();
  const [head = '', tail] = bare.split('::') as [string, string | undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::ffff:… handled above; other forms are rare) counts as two groups.
  const groups = (parts: string[]) => parts.flatMap((p) => (p.includes('.') ? ['0', '0'] : [p]));
  const h = groups(headParts);
  const t = groups(tailParts);
  const all = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  const prefix = all.slice(0, 4).map((g) => (Number.parseInt(g, 16) || 0).toString(16));
  return `${prefix.join(':')}::/64`;
}

/** Limits failed sign-ins; see the top of this file. */
export class LoginLimiter {
  private readonly limits: LoginLimits;

  constructor(
    private readonly db: Kysely<Schema>,
    limits: Partial<LoginLimits> = {},
    private readonly clock: LoginClock = SYSTEM_CLOCK,
  ) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
  }

  /** The wait before a sign-in for an account with this many recent failures. */
  delayFor(failures: number): number {
    const { slowAfter, delayMs, maxDelayMs } = this.limits;
    if (failures < slowAfter) return 0;
    return Math.min(maxDelayMs, delayMs * 2 ** Math.min(failures - slowAfter, 30));
  }

  /**
   * Checks a password for an account from an address within the limits: refused (a block), or
   * `check` is run, after the account's wait if it has one, and its answer is counted.
   * A check that throws counts as no failure.
   */
  async attempt(account: string, ip: string, check: () => Promise<boolean>): Promise<LoginOutcome> {
    const { windowMs, perAccountAddress, perAddress } = this.limits;
    const email = account.trim().toLowerCase();
    const address = addressKey(ip);
    const started = this.clock.now();
    const since = new Date(started - windowMs);
    const mine = await this.db
      .insertInto('login_failures')
      .values({ account: email, address, failed_at: new Date(started) })
      .returning('id')
      .executeTakeFirstOrThrow();
    let failed = false;
    try {
      await this.prune(since);
      // What was counted before this attempt (rows written before it, including checks still running).
      const before = this.db
        .selectFrom('login_failures')
        .where('failed_at', '>', since)
        .where('id', '<', mine.id)
        .where((eb) => eb.or([eb('account', '=', email), eb('address', '=', address)]));
      const counts = await before
        .select((eb) => [
          eb.fn
            .countAll<number>()
            .filterWhere((f) => f.and([f('account', '=', email), f('address', '=', address)]))
            .as('pair'),
          eb.fn.countAll<number>().filterWhere('address', '=', address).as('fromAddress'),
          eb.fn.countAll<number>().filterWhere('account', '=', email).as('ofAccount'),
          eb.fn.max('failed_at').filterWhere('account', '=', email).as('lastOfAccount'),
        ])
        .executeTakeFirstOrThrow();
      const pair = Number(counts.pair);
      const fromAddress = Number(counts.fromAddress);

      // The time the `limit`-th most recent of these failures leaves the window.
      const freeAt = async (which: 'pair' | 'address', limit: number): Promise<number> => {
        const row = await before
          .select('failed_at')
          .$if(which === 'pair', (q) => q.where('account', '=', email).where('address', '=', address))
          .$if(which === 'address', (q) => q.where('address', '=', address))
          .orderBy('failed_at', 'desc')
          .offset(limit - 1)
          .limit(1)
          .executeTakeFirst();
        return row ? new Date(row.failed_at).getTime() + windowMs : started;
      };
      if (pair >= perAccountAddress) return { block: this.block('account', await freeAt('pair', perAccountAddress)) };
      if (fromAddress >= perAddress && pair > 0) {
        const until = Math.min(await freeAt('address', perAddress), await freeAt('pair', 1));
        return { block: this.block('address', until) };
      }

      let waitedMs = 0;
      const delay = this.delayFor(Number(counts.ofAccount));
      if (delay > 0 && counts.lastOfAccount) {
        waitedMs = new Date(counts.lastOfAccount).getTime() + delay - this.clock.now();
        if (waitedMs > 0) await this.clock.sleep(waitedMs);
        else waitedMs = 0;
      }

      const ok = await check();
      if (ok) {
        await this.db
          .deleteFrom('login_failures')
          .where('account', '=', email)
          .where('address', '=', address)
          .execute();
      } else {
        failed = true;
        // Counted from when the check ended, so that the next wait follows this failure.
        await this.db
          .updateTable('login_failures')
          .set({ failed_at: new Date(this.clock.now()) })
          .where('id', '=', mine.id)
          .execute();
      }
      return { ok, waitedMs };
    } finally {
      if (!failed) await this.db.deleteFrom('login_failures').where('id', '=', mine.id).execute();
    }
  }

  /** Forgets every failure of an account (its owner has just set a new password through a link). */
  async forgetAccount(account: string): Promise<void> {
    await this.db.deleteFrom('login_failures').where('account', '=', account.trim().toLowerCase()).execute();
  }

  private block(scope: LoginBlock['scope'], until: number): LoginBlock {
    const retryAfterSeconds = Math.max(1, Math.ceil((until - this.clock.now()) / 1000));
    return { scope, retryAt: new Date(this.clock.now() + retryAfterSeconds * 1000), retryAfterSeconds };
  }

  private async prune(since: Date): Promise<void> {
    await this.db
      .deleteFrom('login_failures')
      .where('id', 'in', (eb) =>
        eb.selectFrom('login_failures').select('id').where('failed_at', '<=', since).orderBy('id').limit(PRUNE_BATCH),
      )
      .execute();
  }
}

/** The message of a 429: what is refused, and when to try again. */
export function loginBlockMessage(block: LoginBlock): string {
  const s = block.retryAfterSeconds;
  const what = block.scope === 'account' ? 'for this account from your address' : 'from your address';
  if (s < 60) return `Too many failed sign-ins ${what}; try again in ${s} second${s === 1 ? '' : 's'}.`;
  const minutes = Math.ceil(s / 60);
  // The minute after which it is certainly free again.
  const when = new Date(Math.ceil(block.retryAt.getTime() / 60_000) * 60_000).toISOString().slice(11, 16);
  return `Too many failed sign-ins ${what}; try again in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${when} UTC).`;
}
