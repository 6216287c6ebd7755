import { isIP } from 'node:net';

/**
 * Which reverse proxies are trusted to say who the client is (Fastify's `trustProxy`): with one,
 * the client address (`req.ip`, used by the sign-in limits, the audit log and sessions) is taken
 * from X-Forwarded-For, and the protocol and host from X-Forwarded-Proto and X-Forwarded-Host.
 * false (the default): those headers are ignored. true: every sender is trusted (only when nothing
 * but the proxy can reach the server). A list: the addresses or networks (CIDR) of the proxies, and
 * `loopback`, `linklocal`, `uniquelocal`. No hop count: Fastify 5 refuses to trust by hop count
 * alone (it cannot tell the proxy from a client that connects directly, and would trust neither).
 */
export type TrustProxy = boolean | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validEntry(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  if (isIP(prefix) === 4 && family === 4) return true; // a netmask, 255.255.255.0
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Reads MARSAD_TRUST_PROXY: unset, empty or `false` → false; `true` → true; otherwise a
 * comma-separated list of addresses and networks. Throws with a message naming what is wrong.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (v === '' || v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(v))
    throw new Error(
      `MARSAD_TRUST_PROXY: a number of proxies ("${v}") is not enough to trust X-Forwarded-For (a client connecting directly could claim any address); give the addresses or networks of the proxies instead, such as 127.0.0.1 or 10.0.0.0/8.`,
    );
  const entries = v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const wrong = entries.filter((e) => !validEntry(e));
  if (wrong.length || !entries.length)
    throw new Error(
      `MARSAD_TRUST_PROXY must be true, false, or a comma-separated list of proxy addresses and networks (such as 10.0.0.1 or 10.0.0.0/8, loopback); "${wrong.join('", "') || v}" is not.`,
    );
  return entries;
}
