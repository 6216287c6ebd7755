import { useEffect } from 'react';
import { Link } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { localeTag } from '../../format/numbers.ts';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { PdfButton } from '../../components/PdfButton.tsx';
import { usePlaceNames } from '../reviews/review-kit.tsx';
import './programmes.css';

interface Figure<T> { count: number; items: T[] }
interface Item {
  id: number; names: Record<string, string>; date: string | null; place?: string | null; detail?: string;
  amount?: number; currency?: string; year?: number; endYear?: number | null;
  counts?: { cycles: number; submitted: number; published: number }; demo?: boolean;
}
interface Indicator {
  code: string; seedReference: string; names: { ar: string; en: string }; available: boolean; reason?: string; definition?: string;
  figure?: Figure<Item>; amounts?: { currency: string; amount: number; lines: number }[];
}
interface Answer { asOf: string; generatedAt: string; indicators: Indicator[] }

/** The definition of each figure in the reader's language (the API's English is the reference). */
function definitionOf(t: TFunction, code: string): string | null {
  switch (code) {
    case 'a-tools-shared': return t('successIndicators.def.toolsShared');
    case 'b-tools-piloted': return t('successIndicators.def.toolsPiloted');
    case 'c-pilot-countries': return t('successIndicators.def.pilotCountries');
    case 'c-coordination-centres': return t('successIndicators.def.centres');
    case 'd-financial-resources': return t('successIndicators.def.financial');
    case 'f-partners-joined': return t('successIndicators.def.partners');
    case 'g-member-states-invited': return t('successIndicators.def.statesInvited');
    case 'g-member-states-submitted': return t('successIndicators.def.statesSubmitted');
    default: return null;
  }
}

function stageLabel(t: TFunction, stage: string): string {
  return stage === 'under-way' ? t('knowledge.stage.underWay') : stage === 'completed' ? t('knowledge.stage.completed') : stage === 'stopped' ? t('knowledge.stage.stopped') : stage;
}

function partnerType(t: TFunction, type: string): string {
  switch (type) {
    case 'academia': return t('network.type.academia');
    case 'civil-society': return t('network.type.civilSociety');
    case 'funder': return t('network.type.funder');
    case 'local-government-network': return t('network.type.localGovernmentNetwork');
    case 'private-sector': return t('network.type.privateSector');
    case 'un-entity': return t('network.type.unEntity');
    default: return type;
  }
}

function useMoney() {
  const { lang, digits } = usePrefs();
  return (amount: number, currency: string) => {
    try {
      return new Intl.NumberFormat(localeTag(lang, digits), { style: 'currency', currency, currencyDisplay: 'code', maximumFractionDigits: 2, minimumFractionDigits: 0 }).format(amount);
    } catch {
      return `${currency} ${amount}`;
    }
  };
}

/**
 * The success indicators of seed 000 §8 as the records stand today (GET /api/v1/success-indicators):
 * each figure with its definition and the list behind it (expandable, opened for printing).
 */
export function SuccessIndicatorsPage() {
  const { t } = useTranslation();
  const { lang, date } = usePrefs();
  const answer = useQuery({ queryKey: ['success-indicators', lang], queryFn: () => getJson<Answer>('/success-indicators') });
  useEffect(() => {
    const open = () => document.querySelectorAll('details.figure-list').forEach((d) => d.setAttribute('open', ''));
    window.addEventListener('beforeprint', open);
    return () => window.removeEventListener('beforeprint', open);
  }, []);
  return (
    <article className="programmes success-indicators">
      <Breadcrumbs items={[{ to: '/', label: t('nav.home') }, { to: '/programmes', label: t('nav.programmes') }, { label: t('successIndicators.title') }]} />
      <h1>{t('successIndicators.title')}</h1>
      <p className="lead">{t('successIndicators.intro')}</p>
      {answer.isPending ? <Loading /> : answer.error ? <ErrorMessage error={answer.error} /> : (
        <>
          <p className="small muted">{t('successIndicators.asOf', { date: date(answer.data.asOf) })}</p>
          <p className="no-print"><button type="button" className="secondary" onClick={() => { document.querySelectorAll('details.figure-list').forEach((d) => d.setAttribute('open', '')); window.print(); }}>{t('programmes.print')}</button>{' '}<PdfButton page="/results/success-indicators" /></p>
          {answer.data.indicators.map((s) => <IndicatorCard key={s.code} s={s} />)}
          <p className="small muted">{t('successIndicators.noTyping')}</p>
        </>
      )}
    </article>
  );
}

function IndicatorCard({ s }: { s: Indicator }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const money = useMoney();
  const definition = definitionOf(t, s.code);
  return (
    <section className="card success-indicator" aria-labelledby={`si-${s.code}`}>
      <h2 id={`si-${s.code}`}><UserText names={s.names} /> <bdi dir="ltr" lang="en" className="muted small">({s.seedReference})</bdi></h2>
      {!s.available || !s.figure ? (
        <p>{t('successIndicators.unavailable')}{s.code === 'e-awareness' && <> {t('successIndicators.awarenessReason')}</>}</p>
      ) : (
        <>
          {definition && <p className="small muted">{definition}</p>}
          {s.amounts && (
            <ul className="plain">
              {s.amounts.length === 0 ? <li>{t('successIndicators.noBudget')}</li> : s.amounts.map((a) => (
                <li key={a.currency}><strong>{money(a.amount, a.currency)}</strong> <span className="muted small">{t('successIndicators.lines', { n: a.lines })}</span></li>
              ))}
            </ul>
          )}
          {s.figure.count === 0 && s.figure.items.length === 0 ? (
            <p className="figure-line">{t('successIndicators.count')}: <strong>{num(0, 0)}</strong></p>
          ) : (
            <details className="figure-list">
              <summary>{t('successIndicators.count')}: <strong>{num(s.figure.count, 0)}</strong> <span className="muted small">{t('successIndicators.showList')}</span></summary>
              <ul>{s.figure.items.map((i, k) => <li key={k}><ItemLine i={i} code={s.code} /></li>)}</ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}

function ItemLine({ i, code }: { i: Item; code: string }) {
  const { t } = useTranslation();
  const { date, num } = usePrefs();
  const year = (y: number) => num(y, 0).replace(/[,٬\s]/g, '');
  const money = useMoney();
  const names = usePlaceNames();
  const placeName = i.place ? <UserText names={names(i.place)} fallbackText={i.place} /> : null;
  const demo = i.demo ? <> · <span className="tag warn">{t('programmes.demoTag')}</span></> : null;
  if (code === 'd-financial-resources') {
    return (
      <>
        <UserText names={i.names} /> · {i.detail && <Link to="/programmes/$code" params={{ code: i.detail }}>{i.detail}</Link>} ·{' '}
        {i.endYear && i.endYear !== i.year ? `${year(i.year!)}–${year(i.endYear)}` : year(i.year!)} · <strong>{money(i.amount!, i.currency!)}</strong>{demo}
      </>
    );
  }
  if (code.startsWith('g-') && i.counts) {
    return <><UserText names={i.names} fallbackText={i.place ?? ''} /> · {t('successIndicators.cycles', { cycles: i.counts.cycles, submitted: i.counts.submitted, published: i.counts.published })}{demo}</>;
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
