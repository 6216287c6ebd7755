import { Link } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import { UserText } from '../../components/UserText.tsx';
import { useMoney } from '../../format/use-money.ts';
import { usePlaceNames } from '../reviews/review-kit.tsx';

export interface Figure<T> {
  count: number;
  items: T[];
}
export interface SuccessItem {
  id: number;
  names: Record<string, string>;
  date: string | null;
  place?: string | null;
  detail?: string;
  amount?: number;
  currency?: string;
  year?: number;
  endYear?: number | null;
  counts?: { cycles: number; submitted: number; published: number };
  demo?: boolean;
}
export interface SuccessIndicator {
  code: string;
  seedReference: string;
  names: { ar: string; en: string };
  available: boolean;
  reason?: string;
  definition?: string;
  figure?: Figure<SuccessItem>;
  /** Over a period: the records within it (null: the records carry no date), and the budget totals within it. */
  duringPeriod?: Figure<SuccessItem> | null;
  amountsDuringPeriod?: { currency: string; amount: number; lines: number }[];
  amounts?: { currency: string; amount: number; lines: number }[];
}

/** The definition of each figure in the reader's language (the API's English is the reference). */
function definitionOf(t: TFunction, code: string): string | null {
  switch (code) {
    case 'a-tools-shared':
      return t('successIndicators.def.toolsShared');
    case 'b-tools-piloted':
      return t('successIndicators.def.toolsPiloted');
    case 'c-pilot-countries':
      return t('successIndicators.def.pilotCountries');
    case 'c-coordination-centres':
      return t('successIndicators.def.centres');
    case 'd-financial-resources':
      return t('successIndicators.def.financial');
    case 'f-partners-joined':
      return t('successIndicators.def.partners');
    case 'g-member-states-invited':
      return t('successIndicators.def.statesInvited');
    case 'g-member-states-submitted':
      return t('successIndicators.def.statesSubmitted');
    default:
      return null;
  }
}

function stageLabel(t: TFunction, stage: string): string {
  return stage === 'under-way'
    ? t('knowledge.stage.underWay')
    : stage === 'completed'
      ? t('knowledge.stage.completed')
      : stage === 'stopped'
        ? t('knowledge.stage.stopped')
        : stage;
}

function partnerType(t: TFunction, type: string): string {
  switch (type) {
    case 'academia':
      return t('network.type.academia');
    case 'civil-society':
      return t('network.type.civilSociety');
    case 'funder':
      return t('network.type.funder');
    case 'local-government-network':
      return t('network.type.localGovernmentNetwork');
    case 'private-sector':
      return t('network.type.privateSector');
    case 'un-entity':
      return t('network.type.unEntity');
    default:
      return type;
  }
}

/**
 * One success indicator: its definition, the budget totals per currency, and the count with the
 * list behind it (expandable, opened for printing). Over a period (`duringPeriod` given), the
 * records within the period come first, then the figure at the period's end.
 */
export function IndicatorCard({ s, headingLevel = 2 }: { s: SuccessIndicator; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const money = useMoney();
  const definition = definitionOf(t, s.code);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const period = s.duringPeriod !== undefined;
  const amounts = (list: { currency: string; amount: number; lines: number }[], label?: string) => (
    <ul className="plain">
      {list.length === 0 ? (
        <li>
          {label && <>{label}: </>}
          {t('successIndicators.noBudget')}
        </li>
      ) : (
        list.map((a) => (
          <li key={a.currency}>
            {label && <>{label}: </>}
            <strong>{money(a.amount, a.currency)}</strong>{' '}
            <span className="muted small">{t('successIndicators.lines', { n: a.lines })}</span>
          </li>
        ))
      )}
    </ul>
  );
  return (
    <section className="card success-indicator" aria-labelledby={`si-${s.code}`}>
      <H id={`si-${s.code}`}>
        <UserText names={s.names} />{' '}
        <bdi dir="ltr" lang="en" className="muted small">
          ({s.seedReference})
        </bdi>
      </H>
      {!s.available || !s.figure ? (
        <p>
          {t('successIndicators.unavailable')}
          {s.code === 'e-awareness' && <> {t('successIndicators.awarenessReason')}</>}
        </p>
      ) : (
        <>
          {definition && <p className="small muted">{definition}</p>}
          {period && s.amountsDuringPeriod && amounts(s.amountsDuringPeriod, t('successIndicators.withinPeriod'))}
          {s.amounts && amounts(s.amounts, period ? t('successIndicators.atPeriodEnd') : undefined)}
          {period &&
            (s.duringPeriod ? (
              <FigureList label={t('successIndicators.withinPeriod')} figure={s.duringPeriod} code={s.code} />
            ) : (
              <p className="figure-line">
                {t('successIndicators.withinPeriod')}: <span className="muted">{t('successIndicators.noDates')}</span>
              </p>
            ))}
          <FigureList
            label={period ? t('successIndicators.atPeriodEnd') : t('successIndicators.count')}
            figure={s.figure}
            code={s.code}
          />
        </>
      )}
    </section>
  );
}

/** A count with the list behind it, expandable (opened for printing). */
function FigureList({ label, figure, code }: { label: string; figure: Figure<SuccessItem>; code: string }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  if (figure.count === 0 && figure.items.length === 0)
    return (
      <p className="figure-line">
        {label}: <strong>{num(0, 0)}</strong>
      </p>
    );
  return (
    <details className="figure-list">
      <summary>
        {label}: <strong>{num(figure.count, 0)}</strong>{' '}
        <span className="muted small">{t('successIndicators.showList')}</span>
      </summary>
      <ul>
        {figure.items.map((i, k) => (
          <li key={k}>
            <ItemLine i={i} code={code} />
          </li>
        ))}
      </ul>
    </details>
  );
}

function ItemLine({ i, code }: { i: SuccessItem; code: string }) {
  const { t } = useTranslation();
  const { date, num } = usePrefs();
  const year = (y: number) => num(y, 0).replace(/[,٬\s]/g, '');
  const money = useMoney();
  const names = usePlaceNames();
  const placeName = i.place ? <UserText names={names(i.place)} fallbackText={i.place} /> : null;
  const demo = i.demo ? (
    <>
      {' '}
      · <span className="tag warn">{t('programmes.demoTag')}</span>
    </>
  ) : null;
  if (code === 'd-financial-resources') {
    return (
      <>
        <UserText names={i.names} /> ·{' '}
        {i.detail && (
          <Link to="/programmes/$code" params={{ code: i.detail }}>
            {i.detail}
          </Link>
        )}{' '}
        · {i.endYear && i.endYear !== i.year ? `${year(i.year!)}–${year(i.endYear)}` : year(i.year!)} ·{' '}
        <strong>{money(i.amount!, i.currency!)}</strong>
        {demo}
      </>
    );
  }
  if (code.startsWith('g-') && i.counts) {
    return (
      <>
        <UserText names={i.names} fallbackText={i.place ?? ''} /> ·{' '}
        {t('successIndicators.cycles', {
          cycles: i.counts.cycles,
          submitted: i.counts.submitted,
          published: i.counts.published,
        })}
        {demo}
      </>
    );
  }
  if (code === 'c-pilot-countries') return <UserText names={i.names} fallbackText={i.place ?? ''} />;
  return (
    <>
      <UserText names={i.names} />
      {placeName && <> · {placeName}</>}
      {i.date && <> · {date(i.date)}</>}
      {i.detail && code === 'b-tools-piloted' && <> · {stageLabel(t, i.detail)}</>}
      {i.detail && code === 'f-partners-joined' && <> · {partnerType(t, i.detail)}</>}
    </>
  );
}
