import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { LangFields, langErrors, langKeys, sixOf } from '../../components/LangFields.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { useMoney } from '../../format/use-money.ts';
import type { Shown } from '../admin/admin-api.ts';
import { ConfirmBox, Done, described, Field, FormProblems, numberOf } from '../admin/forms.tsx';
import { useEdit } from './programme-edit-context.tsx';
import { fieldOfPath, texts, useLimitMessages, useResultsForm, useYear } from './programme-kit.tsx';
import { levelLabel } from './programme-labels.ts';
import type { BudgetLineView, BudgetView, ExchangeRate, ResultView } from './programme-types.ts';

function flatResults(rs: ResultView[]): ResultView[] {
  return rs.flatMap((r) => [r, ...flatResults(r.children)]);
}

/**
 * The programme's budget lines, each in its own currency; totals per currency only. A total in
 * one currency is shown on request, converted only with the exchange rates users entered (listed
 * with it); lines without a rate are named and left out, and the total says it is incomplete.
 */
export function BudgetSection() {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  const money = useMoney();
  const year = useYear();
  const edit = useEdit();
  const { programme } = edit;
  const [currency, setCurrency] = useState('');
  const budget = useQuery({
    queryKey: ['programme-budget', programme.code, lang, currency],
    queryFn: () =>
      getJson<BudgetView>(`/programmes/${encodeURIComponent(programme.code)}/budget`, {
        lang,
        currency: currency || undefined,
      }),
    placeholderData: (prev) => prev,
  });
  const rates = useQuery({
    queryKey: ['exchange-rates'],
    queryFn: () => getJson<{ items: ExchangeRate[] }>('/settings/exchange-rates'),
  });
  const admin = edit.editing && edit.rights.admin;
  const b = budget.data;
  const currencies = [
    ...new Set([
      ...(b?.totals.map((x) => x.currency) ?? []),
      ...(rates.data?.items.flatMap((r) => [r.from, r.to]) ?? []),
    ]),
  ].sort();
  const years = (l: { year: number; endYear: number | null }) =>
    l.endYear && l.endYear !== l.year
      ? t('programmes.years', { from: year(l.year), to: year(l.endYear) })
      : year(l.year);
  const lineLabel = (id: number) => b?.lines.find((l) => l.id === id)?.label ?? String(id);
  return (
    <section aria-labelledby="budget-heading" className="budget">
      <h2 id="budget-heading" tabIndex={-1}>
        {t('programmes.budget.title')}
      </h2>
      <p className="small muted">{t('programmes.budget.intro')}</p>
      {budget.isPending ? (
        <Loading />
      ) : budget.error ? (
        <ErrorMessage error={budget.error} />
      ) : !b ? null : (
        <>
          {b.lines.length === 0 ? (
            <p className="empty">{t('programmes.budget.none')}</p>
          ) : (
            <>
              <h3>{t('programmes.budget.totals')}</h3>
              <ul className="budget-totals">
                {b.totals.map((x) => (
                  <li key={x.currency}>
                    <strong>{money(x.amount, x.currency)}</strong>{' '}
                    <span className="small muted">
                      {t('programmes.budget.lines', { n: num(x.lines, 0), count: x.lines })}
                    </span>
                  </li>
                ))}
              </ul>
              <TableScroll>
                <table className="data">
                  <caption>{t('programmes.budget.tableCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('programmes.budget.label')}</th>
                      <th scope="col">{t('programmes.budget.years')}</th>
                      <th scope="col">{t('programmes.budget.amount')}</th>
                      <th scope="col">{t('programmes.budget.result')}</th>
                      <th scope="col">{t('table.note')}</th>
                      {admin && (
                        <th scope="col" className="no-print">
                          <span className="visually-hidden">{t('programmes.edit.actions')}</span>
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {b.lines.map((l) => (
                      <tr key={l.id}>
                        <th scope="row" id={`line-${l.id}-label`}>
                          <UserText names={l.labels} fallbackText={l.label ?? ''} />
                          {l.demonstration && (
                            <>
                              {' '}
                              <span className="tag warn">{t('programmes.demoTag')}</span>
                            </>
                          )}
                        </th>
                        <td className="nowrap">{years(l)}</td>
                        <td className="num" data-value={l.amount}>
                          {money(l.amount, l.currency)}
                        </td>
                        <td>
                          {l.result ? (
                            <span dir="auto">
                              {l.result.code ?? ''} {l.result.title ?? ''}
                            </span>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td className="small">{Object.keys(l.notes).length ? <UserText names={l.notes} /> : ''}</td>
                        {admin && (
                          <td className="no-print nowrap">
                            <button
                              type="button"
                              id={`line-edit-${l.id}`}
                              className="secondary small-button"
                              aria-expanded={edit.isOpen('line-edit', l.id)}
                              aria-describedby={`line-${l.id}-label`}
                              onClick={() => edit.openForm({ type: 'line-edit', id: l.id }, `line-edit-${l.id}`)}
                            >
                              {t('programmes.budget.change')}
                            </button>{' '}
                            <button
                              type="button"
                              id={`line-delete-${l.id}`}
                              className="secondary small-button"
                              aria-expanded={edit.isOpen('line-delete', l.id)}
                              aria-describedby={`line-${l.id}-label`}
                              onClick={() => edit.openForm({ type: 'line-delete', id: l.id }, `line-delete-${l.id}`)}
                            >
                              {t('programmes.budget.delete')}
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </>
          )}
          {edit.flash?.at === 'budget' && <Done className="notice no-print">{edit.flash.text}</Done>}
          {b.lines.map((l) => edit.isOpen('line-edit', l.id) && <LineForm key={l.id} line={l} />)}
          {b.lines.map((l) => edit.isOpen('line-delete', l.id) && <DeleteLine key={l.id} line={l} />)}
          {admin && (
            <div className="edit-controls no-print">
              <button
                type="button"
                id="line-add"
                className="secondary"
                aria-expanded={edit.isOpen('line-add')}
                onClick={() =>
                  edit.isOpen('line-add') ? edit.close() : edit.openForm({ type: 'line-add' }, 'line-add')
                }
              >
                {t('programmes.budget.addLine')}
              </button>
            </div>
          )}
          {edit.isOpen('line-add') && <LineForm />}

          {b.lines.length > 0 && (
            <div className="conversion">
              <h3>{t('programmes.budget.oneCurrency')}</h3>
              <div className="field-row no-print">
                <label htmlFor="budget-currency">{t('programmes.budget.convertTo')}</label>
                <select id="budget-currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
                  <option value="">{t('programmes.budget.noConversion')}</option>
                  {currencies.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </div>
              {b.conversion && (
                <div aria-live="polite">
                  <p>
                    <strong>
                      {b.conversion.complete
                        ? t('programmes.budget.convertedTotal', {
                            amount: money(b.conversion.total, b.conversion.currency),
                          })
                        : t('programmes.budget.partialTotal', {
                            amount: money(b.conversion.total, b.conversion.currency),
                          })}
                    </strong>
                  </p>
                  {b.conversion.lines.length > 0 && (
                    <table className="data">
                      <caption>{t('programmes.budget.convertedCaption', { currency: b.conversion.currency })}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('programmes.budget.label')}</th>
                          <th scope="col">{t('programmes.budget.amount')}</th>
                          <th scope="col">{t('programmes.budget.rate')}</th>
                          <th scope="col">{t('programmes.budget.converted')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {b.conversion.lines.map((x) => (
                          <tr key={x.id}>
                            <th scope="row" dir="auto">
                              {lineLabel(x.id)}
                            </th>
                            <td className="num">{money(x.amount, x.currency)}</td>
                            <td>
                              {t('programmes.budget.rateText', {
                                from: x.currency,
                                rate: num(x.rate, 6),
                                to: b.conversion!.currency,
                                year: year(x.rateYear),
                              })}
                              {x.rateSource && (
                                <div className="small muted" dir="auto">
                                  {x.rateSource}
                                </div>
                              )}
                            </td>
                            <td className="num">{money(x.converted, b.conversion!.currency)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                  {b.conversion.missingRates.length > 0 && (
                    <div className="notice warn">
                      <p>{t('programmes.budget.missingRates')}</p>
                      <ul>
                        {b.conversion.missingRates.map((m) => (
                          <li key={`${m.from}-${m.year}`}>
                            {t('programmes.budget.missingRate', { from: m.from, to: m.to, year: year(m.year) })}:{' '}
                            <span dir="auto">{m.lines.map(lineLabel).join(t('programmes.sep'))}</span>
                          </li>
                        ))}
                      </ul>
                    </div>
                  )}
                </div>
              )}
            </div>
          )}
        </>
      )}
      <Rates rates={rates.data?.items ?? null} error={rates.error} />
    </section>
  );
}

function Rates({ rates, error }: { rates: ExchangeRate[] | null; error: unknown }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const year = useYear();
  const edit = useEdit();
  const { send } = useSession();
  const form = useResultsForm([]);
  const admin = edit.editing && edit.rights.admin;
  if (error) return <ErrorMessage error={error} />;
  if (!rates) return null;
  return (
    <div className="rates">
      <h3>{t('programmes.rates.title')}</h3>
      {rates.length === 0 ? (
        <p className="small muted">{t('programmes.rates.none')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('programmes.rates.pair')}</th>
              <th scope="col">{t('programmes.edit.year')}</th>
              <th scope="col">{t('programmes.budget.rate')}</th>
              <th scope="col">{t('table.source')}</th>
              {admin && (
                <th scope="col" className="no-print">
                  <span className="visually-hidden">{t('programmes.edit.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rates.map((r) => (
              <tr key={`${r.from}-${r.to}-${r.year}`}>
                <th scope="row">
                  {r.from} → {r.to}
                </th>
                <td>{year(r.year)}</td>
                <td className="num">
                  {t('programmes.budget.rateText', {
                    from: r.from,
                    rate: num(r.rate, 6),
                    to: r.to,
                    year: year(r.year),
                  })}
                </td>
                <td dir="auto">{r.source ?? '—'}</td>
                {admin && (
                  <td className="no-print">
                    <button
                      type="button"
                      className="secondary small-button"
                      onClick={async () => {
                        const res = await send(`/settings/exchange-rates/${r.from}/${r.to}/${r.year}`, 'DELETE');
                        if (!res.ok) {
                          await form.fromResponse(res);
                          return;
                        }
                        form.clear();
                        await edit.refresh();
                        document.getElementById('rate-add')?.focus();
                      }}
                    >
                      {t('programmes.rates.delete', { pair: `${r.from} → ${r.to}`, year: year(r.year) })}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormProblems problems={form.general} />
      {admin && (
        <div className="edit-controls no-print">
          <button
            type="button"
            id="rate-add"
            className="secondary"
            aria-expanded={edit.isOpen('rate-add')}
            onClick={() => (edit.isOpen('rate-add') ? edit.close() : edit.openForm({ type: 'rate-add' }, 'rate-add'))}
          >
            {t('programmes.rates.add')}
          </button>
        </div>
      )}
      {edit.flash?.at === 'rates' && <Done className="notice no-print">{edit.flash.text}</Done>}
      {edit.isOpen('rate-add') && <RateForm />}
    </div>
  );
}

function RateForm() {
  const { t } = useTranslation();
  const { send } = useSession();
  const edit = useEdit();
  const id = useId();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [y, setY] = useState('');
  const [rate, setRate] = useState('');
  const [source, setSource] = useState('');
  const [busy, setBusy] = useState(false);
  const limits = useLimitMessages();
  const form = useResultsForm(['from', 'to', 'year', 'rate', 'source']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, Shown> = {};
    const yy = numberOf(y);
    const rr = numberOf(rate);
    if (!/^[A-Za-z]{3}$/.test(from.trim())) local.from = { text: t('programmes.error.currency') };
    if (!/^[A-Za-z]{3}$/.test(to.trim())) local.to = { text: t('programmes.error.currency') };
    if (yy === undefined || Number.isNaN(yy) || !Number.isInteger(yy) || yy < 1900 || yy > 2100)
      local.year = { text: limits.year };
    if (rr === undefined || Number.isNaN(rr) || rr <= 0) local.rate = { text: t('programmes.error.rate') };
    if (Object.keys(local).length) {
      form.setLocal(local);
      return;
    }
    setBusy(true);
    const res = await send('/settings/exchange-rates', 'PUT', {
      from: from.trim().toUpperCase(),
      to: to.trim().toUpperCase(),
      year: yy,
      rate: rr,
      ...(source.trim() ? { source: source.trim() } : {}),
    });
    setBusy(false);
    if (!res.ok) {
      await form.fromResponse(res);
      return;
    }
    await edit.refresh();
    edit.setFlash({ at: 'rates', text: t('programmes.rates.saved') });
    edit.close();
  };
  return (
    <form
      ref={form.formRef}
      className="admin edit-form form card no-print"
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') edit.close();
      }}
    >
      <h3 className="form-title">{t('programmes.rates.add')}</h3>
      <p className="hint">{t('programmes.rates.hint')}</p>
      <div className="form-grid">
        <Field
          id={`${id}-from`}
          label={t('programmes.rates.from')}
          hint={t('programmes.budget.currencyHint')}
          error={form.fields.from}
        >
          <input
            id={`${id}-from`}
            type="text"
            dir="ltr"
            maxLength={3}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            autoFocus
            {...described(`${id}-from`, form.fields.from, true)}
          />
        </Field>
        <Field id={`${id}-to`} label={t('programmes.rates.to')} error={form.fields.to}>
          <input
            id={`${id}-to`}
            type="text"
            dir="ltr"
            maxLength={3}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            {...described(`${id}-to`, form.fields.to)}
          />
        </Field>
        <Field id={`${id}-year`} label={t('programmes.edit.year')} error={form.fields.year}>
          <input
            id={`${id}-year`}
            type="text"
            inputMode="numeric"
            dir="ltr"
            value={y}
            onChange={(e) => setY(e.target.value)}
            {...described(`${id}-year`, form.fields.year)}
          />
        </Field>
        <Field
          id={`${id}-rate`}
          label={t('programmes.rates.rateLabel')}
          hint={t('programmes.rates.rateHint')}
          error={form.fields.rate}
        >
          <input
            id={`${id}-rate`}
            type="text"
            inputMode="decimal"
            dir="ltr"
            value={rate}
            onChange={(e) => setRate(e.target.value)}
            {...described(`${id}-rate`, form.fields.rate, true)}
          />
        </Field>
        <Field id={`${id}-source`} label={t('table.source')} error={form.fields.source} className="wide">
          <input
            id={`${id}-source`}
            type="text"
            dir="auto"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            {...described(`${id}-source`, form.fields.source)}
          />
        </Field>
      </div>
      <FormProblems problems={form.general} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('admin.save')}
        </button>
        <button type="button" className="secondary" onClick={() => edit.close()}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}

function LineForm({ line }: { line?: BudgetLineView }) {
  const { t } = useTranslation();
  const { lang, text } = usePrefs();
  const { send } = useSession();
  const edit = useEdit();
  const id = useId();
  const { programme } = edit;
  const [labels, setLabels] = useState(sixOf(line?.labels));
  const [currency, setCurrency] = useState(line?.currency ?? '');
  const [y, setY] = useState(line ? String(line.year) : '');
  const [endY, setEndY] = useState(line?.endYear ? String(line.endYear) : '');
  const [amount, setAmount] = useState(line ? String(line.amount) : '');
  const [result, setResult] = useState(line?.result ? String(line.result.id) : '');
  const [busy, setBusy] = useState(false);
  const limits = useLimitMessages();
  const form = useResultsForm(
    [...langKeys('labels'), 'currency', 'year', 'endYear', 'amount', 'result'],
    fieldOfPath({ labels: `labels.${lang}` }),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, Shown> = {};
    const newLabels = texts(labels);
    const yy = numberOf(y);
    const ey = numberOf(endY);
    const a = numberOf(amount);
    if (!Object.keys(newLabels).length) local[`labels.${lang}`] = { text: t('programmes.error.textNeeded') };
    if (!/^[A-Za-z]{3}$/.test(currency.trim())) local.currency = { text: t('programmes.error.currency') };
    if (yy === undefined || Number.isNaN(yy) || !Number.isInteger(yy) || yy < 1900 || yy > 2100)
      local.year = { text: limits.year };
    if (ey !== undefined && (Number.isNaN(ey) || !Number.isInteger(ey) || ey < 1900 || ey > 2100))
      local.endYear = { text: limits.year };
    else if (ey !== undefined && yy !== undefined && ey < yy)
      local.endYear = { text: t('programmes.error.endYearBefore') };
    if (a === undefined) local.amount = { text: t('apiError.required') };
    else if (Number.isNaN(a) || a < 0) local.amount = { text: t('programmes.error.amount') };
    if (Object.keys(local).length) {
      form.setLocal(local);
      return;
    }
    const body = {
      labels: newLabels,
      currency: currency.trim().toUpperCase(),
      year: yy,
      endYear: ey ?? null,
      amount: a,
      result: result ? Number(result) : null,
    };
    setBusy(true);
    const path = `/programmes/${encodeURIComponent(programme.code)}/budget-lines`;
    const res = line ? await send(`${path}/${line.id}`, 'PATCH', body) : await send(path, 'POST', body);
    setBusy(false);
    if (!res.ok) {
      await form.fromResponse(res);
      return;
    }
    await edit.refresh();
    edit.setFlash({ at: 'budget', text: line ? t('programmes.edit.saved') : t('programmes.budget.lineAdded') });
    edit.close();
  };
  return (
    <form
      ref={form.formRef}
      className="admin edit-form form card no-print"
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') edit.close();
      }}
    >
      <h3 className="form-title">
        {line ? t('programmes.budget.editLine', { line: line.label ?? '' }) : t('programmes.budget.addLine')}
      </h3>
      <div className="form-grid">
        <LangFields
          id={`${id}-label`}
          label={t('langFields.label')}
          values={labels}
          onChange={setLabels}
          errors={langErrors(form.fields, 'labels')}
          maxLength={5000}
          autoFocus
          className="wide"
        />
        <Field
          id={`${id}-currency`}
          label={t('programmes.budget.currency')}
          hint={t('programmes.budget.currencyHint')}
          error={form.fields.currency}
        >
          <input
            id={`${id}-currency`}
            type="text"
            dir="ltr"
            maxLength={3}
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
            {...described(`${id}-currency`, form.fields.currency, true)}
          />
        </Field>
        <Field id={`${id}-amount`} label={t('programmes.budget.amount')} error={form.fields.amount}>
          <input
            id={`${id}-amount`}
            type="text"
            inputMode="decimal"
            dir="ltr"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            {...described(`${id}-amount`, form.fields.amount)}
          />
        </Field>
        <Field id={`${id}-year`} label={t('programmes.budget.year')} error={form.fields.year}>
          <input
            id={`${id}-year`}
            type="text"
            inputMode="numeric"
            dir="ltr"
            value={y}
            onChange={(e) => setY(e.target.value)}
            {...described(`${id}-year`, form.fields.year)}
          />
        </Field>
        <Field
          id={`${id}-end`}
          label={t('programmes.budget.endYear')}
          hint={t('programmes.budget.endYearHint')}
          error={form.fields.endYear}
        >
          <input
            id={`${id}-end`}
            type="text"
            inputMode="numeric"
            dir="ltr"
            value={endY}
            onChange={(e) => setEndY(e.target.value)}
            {...described(`${id}-end`, form.fields.endYear, true)}
          />
        </Field>
        <Field id={`${id}-result`} label={t('programmes.budget.result')} error={form.fields.result} className="wide">
          <select
            id={`${id}-result`}
            value={result}
            onChange={(e) => setResult(e.target.value)}
            {...described(`${id}-result`, form.fields.result)}
          >
            <option value="">{t('programmes.budget.wholeProgramme')}</option>
            {flatResults(programme.results).map((r) => (
              <option key={r.id} value={r.id}>
                {levelLabel(t, r.level)} {r.code ?? ''} {text(r.titles).text}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <FormProblems problems={form.general} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {line ? t('admin.save') : t('programmes.budget.addLine')}
        </button>
        <button type="button" className="secondary" onClick={() => edit.close()}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}

function DeleteLine({ line }: { line: BudgetLineView }) {
  const { t } = useTranslation();
  const { send } = useSession();
  const edit = useEdit();
  const form = useResultsForm([]);
  return (
    <div className="admin no-print">
      <ConfirmBox
        text={t('programmes.budget.deleteConfirm', { line: line.label ?? '' })}
        yes={t('programmes.budget.deleteLine')}
        onNo={() => edit.close()}
        onYes={async () => {
          const res = await send(
            `/programmes/${encodeURIComponent(edit.programme.code)}/budget-lines/${line.id}`,
            'DELETE',
          );
          if (!res.ok) {
            await form.fromResponse(res);
            return;
          }
          await edit.refresh();
          edit.setFlash({ at: 'budget', text: t('programmes.budget.lineDeleted') });
          edit.close('budget-heading');
        }}
      />
      <FormProblems problems={form.general} />
    </div>
  );
}
