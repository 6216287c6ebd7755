import { CLI_ACTOR, createIndicator, HttpError, IndicatorInput } from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { findRemote, remoteFetch } from '../remote.ts';
import { withLocalStore } from './local-store.ts';

export interface IndicatorAddOptions {
  name: string[];
  definition?: string[];
  unit?: string;
  direction?: string;
  framework?: string[];
  owner?: string;
  series?: string[];
}

/** "ar=نص" → { ar: 'نص' } */
function languageTexts(values: string[] | undefined, what: string): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([a-z]{2}(?:-[A-Za-z]+)?)=(.+)$/s.exec(v);
    if (!m) throw new Error(`--${what} "${v}": write it as LANG=TEXT, e.g. --${what} "ar=..."`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** `marsad indicators add CODE --name ar=… --name en=…`: a local indicator (a city's or a country's own). */
export async function indicatorAddCommand(
  config: RuntimeConfig,
  code: string,
  o: IndicatorAddOptions,
): Promise<number> {
  const parsed = IndicatorInput.safeParse({
    code,
    names: languageTexts(o.name, 'name') ?? {},
    definitions: languageTexts(o.definition, 'definition'),
    unit: o.unit ? { code: o.unit } : undefined,
    direction: o.direction,
    frameworks: (o.framework ?? []).map((f) => {
      const [framework, group] = f.split('/');
      return { framework: framework!, group };
    }),
    ownerPlace: o.owner,
    series: (o.series ?? []).map((s) => ({ code: s })),
  });
  if (!parsed.success) {
    for (const i of parsed.error.issues) console.error(`${i.path.join('.') || 'indicator'}: ${i.message}`);
    return 1;
  }
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    const res = await remoteFetch(remote, '/api/v1/indicators', {
      method: 'POST',
      body: JSON.stringify(parsed.data),
      headers: { 'Content-Type': 'application/json' },
    });
    const body = (await res.json()) as { message?: string };
    if (!res.ok) {
      console.error(body.message);
      return 1;
    }
  } else {
    try {
      await withLocalStore(config, (store) => store.exclusive((conn) => createIndicator(conn, parsed.data, CLI_ACTOR)));
    } catch (err) {
      if (err instanceof HttpError) {
        console.error(err.message);
        return 1;
      }
      throw err;
    }
  }
  console.log(`Added indicator ${code}.`);
  return 0;
}
