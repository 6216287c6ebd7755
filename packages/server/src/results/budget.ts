import type { Names, Schema } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import { pick } from '../http/pagination.ts';
import type { ProgrammeRow } from './programme-view.ts';

/**
 * A programme's budget lines, each in its own currency (ISO 4217). Totals are made within one
 * currency only; a total in another currency is given only when the user asks for it and only
 * with the exchange rates users entered (exchange_rates: one rate per currency pair and year,
 * the year of the line); lines without a rate are listed and left out of that total.
 */

export interface BudgetLineView {
  id: number;
  label: string | null;
  labels: Names;
  currency: string;
  year: number;
  endYear: number | null;
  amount: number;
  result: { id: number; code: string | null; title: string | null } | null;
  notes: Names;
  demonstration: boolean;
}

export interface BudgetView {
  programme: string;
  demonstration: boolean;
  lines: BudgetLineView[];
  totals: { currency: string; amount: number; lines: number }[];
  conversion: null | {
    currency: string;
    /** Sum of the lines converted with entered rates (and of the lines already in this currency). */
    total: number;
    complete: boolean;
    lines: {
      id: number;
      currency: string;
      amount: number;
      rate: number;
      rateYear: number;
      rateSource: string | null;
      converted: number;
    }[];
    missingRates: { from: string; to: string; year: number; lines: number[] }[];
  };
}

const cents = (x: number) => Math.round(x * 100) / 100;

export async function budgetView(
  db: Kysely<Schema>,
  p: ProgrammeRow,
  lang?: string,
  currency?: string,
): Promise<BudgetView> {
  const rows = await db
    .selectFrom('budget_lines as b')
    .leftJoin('results as r', 'r.id', 'b.result_id')
    .where('b.programme_id', '=', p.id)
    .select([
      'b.id',
      'b.labels',
      'b.currency',
      'b.year',
      'b.end_year',
      sql<number>`b.amount::float8`.as('amount'),
      'b.notes',
      'b.demo',
      'r.id as resultId',
      'r.code as resultCode',
      'r.titles as resultTitles',
    ])
    .orderBy('b.year')
    .orderBy('b.currency')
    .orderBy('b.id')
    .execute();
  const lines: BudgetLineView[] = rows.map((b) => ({
    id: b.id,
    label: pick(b.labels, lang),
    labels: b.labels,
    currency: b.currency,
    year: b.year,
    endYear: b.end_year,
    amount: Number(b.amount),
    result: b.resultId === null ? null : { id: b.resultId, code: b.resultCode, title: pick(b.resultTitles, lang) },
    notes: b.notes,
    demonstration: b.demo,
  }));
  const totals = [...new Set(lines.map((l) => l.currency))].sort().map((c) => {
    const mine = lines.filter((l) => l.currency === c);
    return { currency: c, amount: cents(mine.reduce((s, l) => s + l.amount, 0)), lines: mine.length };
  });
  let conversion: BudgetView['conversion'] = null;
  if (currency) {
    const needed = lines.filter((l) => l.currency !== currency);
    const rates = needed.length
      ? await db
          .selectFrom('exchange_rates')
          .selectAll()
          .where('to_currency', '=', currency)
          .where('from_currency', 'in', [...new Set(needed.map((l) => l.currency))])
          .execute()
      : [];
    const converted: NonNullable<BudgetView['conversion']>['lines'] = [];
    const missing = new Map<string, { from: string; to: string; year: number; lines: number[] }>();
    let total = lines.filter((l) => l.currency === currency).reduce((s, l) => s + l.amount, 0);
    for (const l of needed) {
      const rate = rates.find((r) => r.from_currency === l.currency && r.year === l.year);
      if (!rate) {
        const key = `${l.currency}|${l.year}`;
        const m = missing.get(key) ?? { from: l.currency, to: currency, year: l.year, lines: [] };
        m.lines.push(l.id);
        missing.set(key, m);
        continue;
      }
      const value = cents(l.amount * rate.rate);
      total += value;
      converted.push({
        id: l.id,
        currency: l.currency,
        amount: l.amount,
        rate: rate.rate,
        rateYear: rate.year,
        rateSource: rate.source,
        converted: value,
      });
    }
    conversion = {
      currency,
      total: cents(total),
      complete: missing.size === 0,
      lines: converted,
      missingRates: [...missing.values()],
    };
  }
  return { programme: p.code, demonstration: p.demo || lines.some((l) => l.demonstration), lines, totals, conversion };
}
