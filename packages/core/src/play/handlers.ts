/**
 * Live-play channels of the UI bridge (`play.*`): input schemas (spread into `inputSchemas`, contract.ts) and
 * handlers (spread into `createHandlers`). The handler map also referees: on the DM's peer, every change to an
 * intents document (a player's request arriving through sync) runs `applyPending` for its campaign.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { readSession } from '../docs/session-doc';
import { CoreError } from '../errors';
import type { Logger } from '../services/engine';
import { createPlay, INTENT_ACTIONS, type Play } from './service';
import { SHEET_ACTION_KINDS, type SheetAction } from './sheet';

const id = z.string().trim().min(1, 'must not be empty').max(200);
const count = z.number().int().min(1).max(50);
const amount = z.number().int().min(0).max(100_000);

export const playInputSchemas = {
  'play.sessions': z.object({ campaign: id }),
  'play.view': z.object({ session: id, as: z.enum(['dm', 'player']).optional() }),
  'play.start': z.object({
    campaign: id,
    encounter: id.optional(),
    party: z.array(id).max(50).default([]),
    creatures: z.array(z.object({ id, count })).max(50).default([]),
    hidden: z.array(id).max(100).default([]),
    lair: z.boolean().default(false),
    seats: z.record(z.string(), z.string().max(200)).optional(),
  }),
  'play.act': z.object({
    session: id,
    action: z.enum([
      'next',
      'damage',
      'heal',
      'temp-hp',
      'condition',
      'death-save',
      'concentrate',
      'reveal',
      'end',
    ]),
    combatant: id.optional(),
    amount: amount.optional(),
    type: z.string().max(40).optional(),
    op: z.enum(['add', 'remove']).optional(),
    name: z.string().max(200).optional(),
    rounds: z.number().int().min(1).max(1000).optional(),
    roll: z.number().int().min(1).max(20).optional(),
  }),
  'play.encounterBuild': z.object({
    campaign: id,
    party: z.array(id).min(1, 'pick at least one character').max(50),
    difficulty: z.string().min(1).max(20),
    ruleset: z.enum(['2024', '2014']).default('2024'),
    theme: z.string().max(100).optional(),
    creatures: z.array(id).max(50).optional(),
  }),
  'play.intent': z.object({
    session: id,
    character: id,
    action: z.enum(INTENT_ACTIONS),
    target: id.optional(),
    amount: amount.optional(),
  }),
  'play.intents': z.object({ session: id }),
  'play.resolve': z.object({
    session: id,
    intent: id,
    decision: z.enum(['apply', 'refuse']),
    reason: z.string().max(500).optional(),
  }),
  'play.sheet': z.object({ character: id }),
  'play.sheetAct': z.object({
    character: id,
    action: z.enum(SHEET_ACTION_KINDS),
    amount: amount.optional(),
    level: z.number().int().min(1).max(9).optional(),
    pact: z.boolean().optional(),
    delta: z.number().int().min(-6).max(6).optional(),
    op: z.enum(['add', 'remove']).optional(),
    name: z.string().max(200).optional(),
    roll: z.number().int().min(1).max(20).optional(),
    value: z.boolean().optional(),
  }),
} as const;

type In<C extends keyof typeof playInputSchemas> = z.output<(typeof playInputSchemas)[C]>;

const need = <T>(v: T | undefined, field: string): T => {
  if (v === undefined) throw new CoreError('invalid-input', `${field}: missing for this action`);
  return v;
};

export function createPlayHandlers(core: Core, deps: { author: () => string; log: Logger }) {
  // One play service per author (the setting may change), so its open documents and remembered combat state
  // carry from one action to the next.
  const services = new Map<string, Play>();
  const play = (): Play => {
    const author = deps.author();
    let p = services.get(author);
    if (!p) services.set(author, (p = createPlay(core, { author })));
    return p;
  };
  const referee = createPlay(core, { author: deps.author() });
  // The DM's peer answers requests as they arrive (a player's peer gets [] back at once).
  const stop = core.live.onChange((e) => {
    if (e.kind !== 'intents') return;
    referee.intents
      .applyPending(e.campaign)
      .catch((err: unknown) =>
        deps.log.warn('play: referee failed', { campaign: e.campaign, err: String(err) }),
      );
  });
  const handlers = {
    'play.sessions': async ({ campaign }: In<'play.sessions'>) => {
      const out: { id: string; number: number; status: string; round: number }[] = [];
      for (const ref of await core.live.list(campaign)) {
        if (ref.kind !== 'session') continue;
        const h = await core.live.open(ref);
        try {
          const s = readSession(h.doc);
          out.push({ id: ref.docId, number: s.number, status: s.status, round: s.round });
        } finally {
          h.release();
        }
      }
      const m = await core.campaigns.membership(campaign);
      return { role: m?.role ?? 'dm', sessions: out.sort((a, b) => b.number - a.number) };
    },
    'play.view': async ({ session, as }: In<'play.view'>) => play().combat.view(session, as),
    'play.start': async (input: In<'play.start'>) =>
      play().combat.start({
        campaign: input.campaign,
        ...(input.encounter !== undefined ? { encounter: input.encounter } : {}),
        ...(input.party.length ? { party: input.party } : {}),
        ...(input.creatures.length ? { creatures: input.creatures } : {}),
        ...(input.hidden.length ? { hidden: input.hidden } : {}),
        ...(input.lair ? { lair: true } : {}),
        ...(input.seats ? { seats: input.seats } : {}),
      }),
    'play.act': async (input: In<'play.act'>) => {
      const p = play();
      const s = input.session;
      const c = () => need(input.combatant, 'combatant');
      switch (input.action) {
        case 'next':
          return p.combat.next(s);
        case 'end':
          return p.combat.end(s);
        case 'reveal':
          return p.combat.reveal(s, c());
        case 'damage':
          return p.combat.damage(
            s,
            c(),
            need(input.amount, 'amount'),
            input.type !== undefined ? { type: input.type } : {},
          );
        case 'heal':
          return p.combat.heal(s, c(), need(input.amount, 'amount'));
        case 'temp-hp':
          return p.combat.heal(s, c(), need(input.amount, 'amount'), { temp: true });
        case 'condition':
          return p.combat.condition(
            s,
            c(),
            need(input.op, 'op'),
            need(input.name, 'name'),
            input.rounds !== undefined ? { rounds: input.rounds } : {},
          );
        case 'death-save':
          return p.combat.deathSave(s, c(), input.roll);
        case 'concentrate':
          // A name starts concentrating on it; none ends concentration.
          return p.combat.concentrate(
            s,
            c(),
            input.name !== undefined && input.name.trim() !== '' ? input.name : null,
          );
      }
    },
    'play.encounterBuild': async (input: In<'play.encounterBuild'>) =>
      play().encounters.build({
        campaign: input.campaign,
        party: input.party,
        difficulty: input.difficulty,
        ruleset: input.ruleset,
        ...(input.theme !== undefined && input.theme.trim() !== '' ? { theme: input.theme } : {}),
        ...(input.creatures?.length ? { creatures: input.creatures } : {}),
      }),
    'play.intent': async (input: In<'play.intent'>) =>
      play().intents.submit(input.session, {
        character: input.character,
        action: input.action,
        ...(input.target !== undefined ? { target: input.target } : {}),
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
      }),
    'play.intents': async ({ session }: In<'play.intents'>) => play().intents.list(session),
    'play.resolve': async (input: In<'play.resolve'>) =>
      play().intents.resolve(input.session, input.intent, input.decision, input.reason),
    'play.sheet': async ({ character }: In<'play.sheet'>) => play().sheet.get(character),
    'play.sheetAct': async (input: In<'play.sheetAct'>) => {
      const a = input.action;
      const action: SheetAction =
        a === 'damage' || a === 'heal' || a === 'temp-hp'
          ? { kind: a, amount: need(input.amount, 'amount') }
          : a === 'spend-slot'
            ? { kind: a, level: need(input.level, 'level'), ...(input.pact === true ? { pact: true } : {}) }
            : a === 'short-rest' || a === 'long-rest'
              ? { kind: a }
              : a === 'exhaustion'
                ? { kind: a, delta: need(input.delta, 'delta') }
                : a === 'condition'
                  ? { kind: a, op: need(input.op, 'op'), name: need(input.name, 'name') }
                  : a === 'concentrate'
                    ? {
                        kind: a,
                        effect: input.name !== undefined && input.name.trim() !== '' ? input.name : null,
                      }
                    : a === 'death-save'
                      ? { kind: a, ...(input.roll !== undefined ? { d20: input.roll } : {}) }
                      : { kind: 'inspiration', value: need(input.value, 'value') };
      return play().sheet.act(input.character, action);
    },
  };
  return { handlers, dispose: stop };
}
