import { readFileSync } from 'node:fs';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { HttpError } from '../http/errors.ts';

/** The rules: long enough, not a common password; no composition rules (NIST SP 800-63B). */
export const PASSWORD_MIN_LENGTH = 12;
/** Longer inputs are refused so that hashing stays cheap for everyone. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * argon2id (Algorithm.Argon2id = 2: a const enum, not importable as a value here) with the parameters OWASP recommends
 * (19 MiB, 2 passes, 1 lane).
 */
const ARGON2 = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

let common: Set<string> | undefined;

/**
 * The shipped list (common-passwords.txt, see common-passwords.md): the 10,000 most common
 * passwords of the "10 million passwords" list, and those of 12 characters or more among its
 * 100,000 most common. Compared without regard to case.
 */
export function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.replace(/\r$/, '').toLowerCase())
      .filter(Boolean),
  );
  return common;
}

/** Why a password is refused, as a message naming the field; null when it is acceptable. */
export function passwordProblem(password: string, field = 'password'): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return `${field}: must be at least ${PASSWORD_MIN_LENGTH} characters long (this one has ${length}); a few words in a row make a good one.`;
  }
  if (length > PASSWORD_MAX_LENGTH) return `${field}: must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  if (commonPasswords().has(password.toLowerCase())) {
    return `${field}: is one of the most common passwords, which are tried first by attackers; choose another.`;
  }
  return null;
}

/** Throws a 400 naming the field when the password breaks a rule. */
export function checkPassword(password: string, field = 'password'): void {
  const problem = passwordProblem(password, field);
  if (problem) throw new HttpError(400, 'bad_request', problem);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Verifies against a throw-away hash: used when the account is unknown or has no password, so
 * that answering takes as long as for a real account (no account enumeration by timing).
 */
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword(`not a password of anyone ${Math.random()}`);
  await verifyPassword(await dummy, password);
  return false;
}
