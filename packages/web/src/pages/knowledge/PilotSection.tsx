import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { isAdministrator } from '../admin/admin-api.ts';
import { Done, described, Field, FormProblems, useFormProblems } from '../admin/forms.tsx';
import { type PickedPlace, PlacePicker } from '../admin/PlacePicker.tsx';
import { type Item, pilotPlaces, stageLabel } from './knowledge-api.ts';

const STAGES = ['planned', 'under-way', 'completed', 'stopped'] as const;

/**
 * The pilots of a tool (which places piloted it, when, with what outcome) and, for focal points, a form to record one
 * of their place.
 */
export function PilotSection({ item }: { item: Item }) {
  const { t } = useTranslation();
  const { date } = usePrefs();
  const { me } = useSession();
  const own = pilotPlaces(me?.roles);
  const admin = isAdministrator(me?.roles);
  return (
    <section aria-labelledby="item-pilots">
      <h2 id="item-pilots">{t('knowledge.pilots')}</h2>
      {item.pilots.length === 0 ? (
        <p className="muted">{t('knowledge.noPilots')}</p>
      ) : (
        <TableScroll>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('knowledge.pilotPlace')}</th>
                <th scope="col">{t('knowledge.pilotStarted')}</th>
                <th scope="col">{t('knowledge.pilotEnded')}</th>
                <th scope="col">{t('knowledge.pilotStage')}</th>
                <th scope="col">{t('knowledge.pilotOutcome')}</th>
              </tr>
            </thead>
            <tbody>
              {item.pilots.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    {p.place ? (
                      <Link to="/places/$code" params={{ code: p.place.code }}>
                        <span dir="auto">{p.place.name ?? p.place.code}</span>
                      </Link>
                    ) : (
                      '—'
                    )}
                  </th>
                  <td>{date(p.startedOn)}</td>
                  <td>{p.endedOn ? date(p.endedOn) : '—'}</td>
                  <td>{stageLabel(t, p.stage)}</td>
                  <td dir="auto">{p.outcomeText ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {item.status === 'published' && (admin || own.length > 0) && <PilotForm item={item} own={own} admin={admin} />}
    </section>
  );
}

function PilotForm({ item, own, admin }: { item: Item; own: string[]; admin: boolean }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { send, me } = useSession();
  const client = useQueryClient();
  const id = useId();
  const [place, setPlace] = useState(own[0] ?? '');
  const [picked, setPicked] = useState<PickedPlace | null>(null);
  const [startedOn, setStartedOn] = useState('');
  const [endedOn, setEndedOn] = useState('');
  const [stage, setStage] = useState<string>('under-way');
  const [outcome, setOutcome] = useState('');
  const [done, setDone] = useState(false);
  const p = useFormProblems(['place', 'startedOn', 'endedOn', 'stage', 'outcome']);
  const placeNames = new Map((me?.roles ?? []).filter((r) => r.place).map((r) => [r.place!, r.placeName ?? r.place!]));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    p.clear();
    setDone(false);
    const code = own.length ? place : (picked?.code ?? '');
    const local: Record<string, { text: string }> = {};
    if (!code) local.place = { text: t('knowledge.pilotPlaceNeeded') };
    if (!startedOn) local.startedOn = { text: t('knowledge.dateNeeded') };
    if (Object.keys(local).length) {
      p.setLocal(local);
      return;
    }
    const res = await send(`/knowledge/tools/${item.id}/pilots`, 'POST', {
      place: code,
      startedOn,
      endedOn: endedOn || null,
      stage,
      outcome: outcome.trim() ? { [lang]: outcome.trim() } : {},
    });
    if (!res.ok) {
      await p.fromResponse(res);
      return;
    }
    setDone(true);
    setStartedOn('');
    setEndedOn('');
    setOutcome('');
    await client.invalidateQueries({ queryKey: ['knowledge-item', String(item.id)] });
  };
  return (
    <form ref={p.formRef} className="admin form pilot-form card" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('knowledge.recordPilot')}</h3>
      <div className="form-grid">
        {own.length ? (
          <Field id={`${id}-place`} label={t('knowledge.pilotPlace')} error={p.fields.place}>
            <select
              id={`${id}-place`}
              value={place}
              onChange={(e) => setPlace(e.target.value)}
              {...described(`${id}-place`, p.fields.place)}
            >
              {own.map((c) => (
                <option key={c} value={c}>
                  {placeNames.get(c) ?? c}
                </option>
              ))}
            </select>
          </Field>
        ) : admin ? (
          <PlacePicker
            id={`${id}-place`}
            label={t('knowledge.pilotPlace')}
            value={picked}
            onChange={setPicked}
            error={p.fields.place}
            required
          />
        ) : null}
        <Field id={`${id}-start`} label={t('knowledge.pilotStarted')} error={p.fields.startedOn}>
          <input
            id={`${id}-start`}
            type="date"
            value={startedOn}
            onChange={(e) => setStartedOn(e.target.value)}
            required
            {...described(`${id}-start`, p.fields.startedOn)}
          />
        </Field>
        <Field id={`${id}-end`} label={t('knowledge.pilotEndedOptional')} error={p.fields.endedOn}>
          <input
            id={`${id}-end`}
            type="date"
            value={endedOn}
            onChange={(e) => setEndedOn(e.target.value)}
            {...described(`${id}-end`, p.fields.endedOn)}
          />
        </Field>
        <Field id={`${id}-stage`} label={t('knowledge.pilotStage')} error={p.fields.stage}>
          <select
            id={`${id}-stage`}
            value={stage}
            onChange={(e) => setStage(e.target.value)}
            {...described(`${id}-stage`, p.fields.stage)}
          >
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {stageLabel(t, s)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id={`${id}-outcome`} label={t('knowledge.pilotOutcome')} error={p.fields.outcome} className="wide-field">
        <textarea
          id={`${id}-outcome`}
          dir="auto"
          rows={3}
          value={outcome}
          onChange={(e) => setOutcome(e.target.value)}
          {...described(`${id}-outcome`, p.fields.outcome)}
        />
      </Field>
      <FormProblems problems={p.general} />
      <button type="submit">{t('knowledge.savePilot')}</button>
      {done && <Done>{t('knowledge.pilotSaved')}</Done>}
    </form>
  );
}
