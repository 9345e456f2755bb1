/** The character-creation conversation: the current draft and whether the generator is working. */
import type { DraftView } from '@loreforge/core';
import { create } from 'zustand';
import { bridge, call } from '../bridge';
import { attempt } from './ui';

interface DraftState {
  draft: DraftView | null;
  busy: 'generate' | 'refine' | 'finalize' | 'resume' | null;
  stage: string;
  generate(input: {
    concept: string;
    kind?: 'pc' | 'npc' | 'monster';
    level?: number;
    cr?: number;
    campaign?: string;
  }): Promise<DraftView | undefined>;
  refine(feedback: string): Promise<void>;
  finalize(): Promise<string | undefined>;
  /** Bring back a draft from any session (its conversation and revisions). */
  resume(draftId: string): Promise<void>;
  /** Discard the open draft. */
  discard(): Promise<boolean>;
  reset(): void;
}

export const useDraft = create<DraftState>((set, get) => ({
  draft: null,
  busy: null,
  stage: '',
  async generate(input) {
    set({ busy: 'generate', stage: 'starting' });
    const draft = await attempt(() => call('drafts.generate', { kind: 'pc', ...input }));
    set({ busy: null, stage: '', ...(draft ? { draft } : {}) });
    return draft;
  },
  async refine(feedback) {
    const d = get().draft;
    if (!d) return;
    set({ busy: 'refine', stage: 'starting' });
    const draft = await attempt(() => call('drafts.refine', { draftId: d.draftId, feedback }));
    set({ busy: null, stage: '', ...(draft ? { draft } : {}) });
  },
  async finalize() {
    const d = get().draft;
    if (!d) return undefined;
    set({ busy: 'finalize', stage: 'saving' });
    const res = await attempt(() => call('drafts.finalize', { draftId: d.draftId }));
    set({ busy: null, stage: '' });
    if (res) set({ draft: { ...d, finalized: res.id } });
    return res?.id;
  },
  async resume(draftId) {
    if (get().draft?.draftId === draftId) return;
    set({ busy: 'resume', stage: 'loading', draft: null });
    const draft = await attempt(() => call('drafts.resume', { draftId }));
    set({ busy: null, stage: '', ...(draft ? { draft } : {}) });
  },
  async discard() {
    const d = get().draft;
    if (!d) return false;
    const r = await attempt(() => call('drafts.discard', { draftId: d.draftId }));
    if (r) set({ draft: null });
    return Boolean(r);
  },
  reset: () => set({ draft: null, busy: null, stage: '' }),
}));

export function wireDraftEvents(): () => void {
  return bridge().on('llm.progress', (p) => {
    const s = useDraft.getState();
    if (s.busy && (!s.draft || s.draft.draftId === p.draftId || s.busy === 'generate')) {
      useDraft.setState({ stage: p.done ? 'finishing' : p.stage });
    }
  });
}
