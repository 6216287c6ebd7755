import { randomInt } from 'node:crypto';
import type { RoleName, Store } from '@marsad/db';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';

export interface DemoAccount {
  email: string;
  password: string;
  roles: { role: RoleName; place: string | null }[];
}

/** One account per role on the pilot places: Morocco (MAR) and Agadir (MAAGA). */
const DEMO: { email: string; name: string; roles: { role: RoleName; place: string | null }[] }[] = [
  {
    email: 'administrator@demo.marsad.example',
    name: 'Demo administrator',
    roles: [{ role: 'administrator', place: null }],
  },
  {
    email: 'national-focal-point@demo.marsad.example',
    name: 'Demo national focal point (Morocco)',
    roles: [{ role: 'national-focal-point', place: 'MAR' }],
  },
  {
    email: 'city-focal-point@demo.marsad.example',
    name: 'Demo city focal point (Agadir)',
    roles: [{ role: 'city-focal-point', place: 'MAAGA' }],
  },
  {
    email: 'data-validator@demo.marsad.example',
    name: 'Demo data validator (Agadir)',
    roles: [{ role: 'data-validator', place: 'MAAGA' }],
  },
  {
    email: 'reviewer@demo.marsad.example',
    name: 'Demo reviewer (Agadir)',
    roles: [{ role: 'reviewer', place: 'MAAGA' }],
  },
  // Reviewers of the demonstration review cycle (load-demo-reviews.ts): from other countries than the places they
  // review.
  {
    email: 'reviewer-almaty@demo.marsad.example',
    name: 'Demo reviewer (Almaty)',
    roles: [{ role: 'reviewer', place: 'KZALA' }],
  },
  {
    email: 'reviewer-quito@demo.marsad.example',
    name: 'Demo reviewer (Quito)',
    roles: [{ role: 'reviewer', place: 'ECUIO' }],
  },
  { email: 'editor@demo.marsad.example', name: 'Demo editor (Agadir)', roles: [{ role: 'editor', place: 'MAAGA' }] },
];

/** No 0/O, 1/l/I: easy to read off a console and type. 20 characters of 56: about 116 bits. */
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function randomPassword(): string {
  for (;;) {
    const groups = Array.from({ length: 4 }, () =>
      Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    );
    const password = groups.join('-');
    if (!passwordProblem(password)) return password;
  }
}

/**
 * The demonstration accounts, active, each with a new random password (also when they exist
 * already: the passwords are printed by `marsad serve` and known to nobody else). Only called
 * when demonstration data is loaded.
 */
export async function loadDemoAccounts(store: Store): Promise<DemoAccount[]> {
  const out: DemoAccount[] = [];
  for (const d of DEMO) {
    const password = randomPassword();
    const passwordHash = await hashPassword(password);
    await store.db.transaction().execute(async (trx) => {
      const user = await trx
        .insertInto('users')
        .values({ email: d.email, display_name: d.name, password_hash: passwordHash, status: 'active' })
        .onConflict((oc) => oc.column('email').doUpdateSet({ password_hash: passwordHash, status: 'active' }))
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const r of d.roles) {
        const place = r.place
          ? await trx.selectFrom('places').select('id').where('code', '=', r.place).executeTakeFirst()
          : null;
        if (r.place && !place)
          throw new Error(`demonstration account ${d.email}: no place ${r.place} in the catalogue`);
        await trx
          .insertInto('role_assignments')
          .values({ user_id: user.id, role: r.role, place_id: place?.id ?? null })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    });
    out.push({ email: d.email, password, roles: d.roles });
  }
  return out;
}
