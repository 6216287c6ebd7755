import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { Rights } from './programme-kit.tsx';
import type { ProgrammeView } from './programme-types.ts';

/** The one form open on the page (one at a time), and the element that opened it, to return focus to. */
export type OpenForm =
  | { type: 'result-add'; parentId: number | null }
  | { type: 'result-edit' | 'result-delete' | 'measure-add'; id: number }
  | { type: 'measure-edit' | 'measure-delete' | 'targets' | 'actuals'; id: number }
  | { type: 'line-add' | 'rate-add' | 'margins' | 'programme-edit' | 'programme-delete' }
  | { type: 'line-edit' | 'line-delete'; id: number };

export interface Flash {
  at: string;
  text: string;
}

interface Edit {
  programme: ProgrammeView;
  rights: Rights;
  /** The edit controls are shown (the reader switched them on). */
  editing: boolean;
  open: OpenForm | null;
  /** Opens a form; `from` is the id of the button that opened it. */
  openForm(f: OpenForm, from: string): void;
  /** Closes the form and moves focus back to its button (or to `focusId`, e.g. after a deletion). */
  close(focusId?: string): void;
  /** A message after a saved change, shown where `at` says. */
  flash: Flash | null;
  setFlash(f: Flash | null): void;
  /** Reloads what the programme page shows after a change. */
  refresh(): Promise<void>;
  isOpen(type: OpenForm['type'], id?: number | null): boolean;
}

const EditContext = createContext<Edit | null>(null);

export function EditProvider({
  programme,
  rights,
  editing,
  children,
}: {
  programme: ProgrammeView;
  rights: Rights;
  editing: boolean;
  children: ReactNode;
}) {
  const client = useQueryClient();
  const [open, setOpen] = useState<OpenForm | null>(null);
  const [flash, setFlash] = useState<Flash | null>(null);
  const from = useRef<string | null>(null);
  const focusNext = useRef<string | null>(null);
  useEffect(() => {
    if (!focusNext.current) return;
    const id = focusNext.current;
    focusNext.current = null;
    (document.getElementById(id) ?? document.getElementById('programme-title'))?.focus();
  });
  useEffect(() => {
    if (!editing) setOpen(null);
  }, [editing]);
  const openForm = useCallback((f: OpenForm, opener: string) => {
    from.current = opener;
    setFlash(null);
    setOpen(f);
  }, []);
  const close = useCallback((focusId?: string) => {
    focusNext.current = focusId ?? from.current;
    setOpen(null);
  }, []);
  const refresh = useCallback(async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: ['programme', programme.code] }),
      client.invalidateQueries({ queryKey: ['programme-budget', programme.code] }),
      client.invalidateQueries({ queryKey: ['programmes'] }),
      client.invalidateQueries({ queryKey: ['results-2030-margins'] }),
      client.invalidateQueries({ queryKey: ['exchange-rates'] }),
    ]);
  }, [client, programme.code]);
  const isOpen = (type: OpenForm['type'], id?: number | null) =>
    !!open &&
    open.type === type &&
    (id === undefined || ('id' in open ? open.id === id : 'parentId' in open ? open.parentId === id : false));
  return (
    <EditContext.Provider
      value={{ programme, rights, editing, open, openForm, close, flash, setFlash, refresh, isOpen }}
    >
      {children}
    </EditContext.Provider>
  );
}

export function useEdit(): Edit {
  const e = useContext(EditContext);
  if (!e) throw new Error('useEdit outside EditProvider');
  return e;
}
