/**
 * `loreforge combat …`: the combat tracker with this peer as referee (DM data folder) or requester (a player's:
 * `combat intent`, `combat view`). Full state in the campaign's dmnotes; players read the public session document.
 */
import { createPlay, type CombatView } from '../play/service';
import { SHEET_ACTION_KINDS, type SheetAction } from '../play/sheet';
import { requireOption, stringOption } from './args';
import { listOption, playAuthor, seedOption } from './encounter';
import { CliError, type CliCommand, type CliContext } from './registry';
import { output, positional, storeOptions, withCore } from './store-cli';

function intArg(raw: string | undefined, name: string, min: number, max: number): number {
  if (raw === undefined || raw === '') throw new CliError(`${name}: missing`);
  if (!/^-?\d{1,7}$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new CliError(`${name}: "${raw}" must be a whole number from ${min} to ${max}`);
  return Number(raw);
}

/** `goblin x 3,hobgoblin` → [{ id: goblin, count: 3 }, { id: hobgoblin, count: 1 }]. */
export function parseCreatureList(raw: string): Array<{ id: string; count: number }> {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const m = /^(.+?)(?:\s*[x×*]\s*(\d+))?$/i.exec(item);
      const id = (m?.[1] ?? '').trim();
      if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(id))
        throw new CliError(`--creatures: "${item}" is not "ID" or "ID x N"`);
      const count = m?.[2] !== undefined ? Number(m[2]) : 1;
      if (count < 1 || count > 50) throw new CliError(`--creatures: ${id} count ${count} must be 1–50`);
      return { id, count };
    });
}

function seatsOption(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  const seats: Record<string, string> = {};
  for (const pair of raw.split(',').filter((s) => s.trim() !== '')) {
    const [ch, user] = pair.split('=').map((s) => s.trim());
    if (!ch || !user) throw new CliError(`--seats: "${pair}" is not CHARACTER=USER`);
    seats[ch] = user;
  }
  return seats;
}

function humanView(v: CombatView): string {
  const lines = [`session ${v.session}  round ${v.round}  ${v.status}`];
  for (const c of v.order) {
    const hp = c.health !== undefined ? c.health : `${c.hp ?? 0} HP${c.tempHp ? ` +${c.tempHp} temp` : ''}`;
    lines.push(
      `${c.id === v.turn ? '▶' : ' '} ${String(c.initiative).padStart(2)}  ${c.name}${c.hidden ? ' (hidden)' : ''}  [${c.side}]  ${hp}  ${c.status}${c.conditions.length ? `  ${c.conditions.join(', ')}` : ''}${c.concentration ? `  concentrating: ${c.concentration}` : ''}${c.legendary ? `  legendary ${c.legendary}` : ''}`,
    );
  }
  for (const p of v.prompts)
    lines.push(
      p.kind === 'concentration'
        ? `! ${p.combatant}: concentration save DC ${p.dc ?? 10}`
        : `! ${p.combatant}: death save`,
    );
  return lines.join('\n');
}

type PlayOf = ReturnType<typeof createPlay>;

function sessionCommand(
  name: string,
  summary: string,
  usage: string,
  options: NonNullable<CliCommand['options']>,
  fn: (play: PlayOf, session: string, ctx: CliContext) => Promise<{ json: unknown; human: string }>,
): CliCommand {
  return {
    path: ['combat', name],
    summary,
    usage: `<session> ${usage} [--data-dir DIR] [--json]`,
    options: { ...storeOptions, ...options },
    async run(ctx) {
      const session = positional(ctx.positionals, 0, 'session');
      return withCore(ctx.values, ctx.io, async (core) => {
        const play = createPlay(core, { author: playAuthor(ctx.io) });
        const { json, human } = await fn(play, session, ctx);
        return output(ctx.io, ctx.values, json, human);
      });
    },
  };
}

const combatantHuman = (c: {
  id: string;
  hp: number;
  tempHp: number;
  status: string;
  conditions: string[];
  concentrationDc?: number;
}): string =>
  `${c.id}: ${c.hp} HP${c.tempHp ? ` +${c.tempHp} temp` : ''}, ${c.status}${c.conditions.length ? `, ${c.conditions.join(', ')}` : ''}${c.concentrationDc !== undefined ? `\nconcentration save: DC ${c.concentrationDc}` : ''}`;

export const combatCommands: CliCommand[] = [
  {
    path: ['combat', 'start'],
    summary:
      'Start a combat (DM) → { session, round, turn, order: [{ id, name, side, initiative, hidden }] } (order as played).',
    usage:
      '--campaign C (--encounter ID | --party ID,… --creatures "ID x N,…") [--hidden ID,…] [--reveal-on-turn] [--lair] [--seats CHAR=USER,…] [--ruleset 2024|2014] [--seed N] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      campaign: { type: 'string' },
      encounter: { type: 'string' },
      party: { type: 'string' },
      creatures: { type: 'string' },
      hidden: { type: 'string' },
      lair: { type: 'boolean' },
      'reveal-on-turn': { type: 'boolean' },
      seats: { type: 'string' },
      ruleset: { type: 'string' },
      seed: { type: 'string' },
    },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      const encounter = stringOption(values, 'encounter');
      const party = listOption(values, 'party');
      const creaturesRaw = stringOption(values, 'creatures');
      const creatures = creaturesRaw !== undefined ? parseCreatureList(creaturesRaw) : undefined;
      if (encounter === undefined && !party && !creatures)
        throw new CliError('--encounter: give a prepared encounter, or --party and --creatures');
      const hidden = listOption(values, 'hidden');
      const seats = seatsOption(stringOption(values, 'seats'));
      const ruleset = stringOption(values, 'ruleset');
      if (ruleset !== undefined && ruleset !== '2024' && ruleset !== '2014')
        throw new CliError(`--ruleset: "${ruleset}" must be 2024 or 2014`);
      const seed = seedOption(values);
      return withCore(values, io, async (core) => {
        const play = createPlay(core, { author: playAuthor(io) });
        const s = await play.combat.start({
          campaign,
          ...(encounter !== undefined ? { encounter } : {}),
          ...(party ? { party } : {}),
          ...(creatures ? { creatures } : {}),
          ...(hidden ? { hidden } : {}),
          ...(seats ? { seats } : {}),
          ...(ruleset === '2024' || ruleset === '2014' ? { ruleset } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(values['lair'] === true ? { lair: true } : {}),
          ...(values['reveal-on-turn'] === true ? { revealOnTurn: true } : {}),
        });
        const human = [
          `session ${s.session}  round ${s.round}`,
          ...s.order.map(
            (o) =>
              `${o.id === s.turn ? '▶' : ' '} ${String(o.initiative).padStart(2)}  ${o.name}  [${o.side}]${o.hidden ? ' (hidden)' : ''}  ${o.id}`,
          ),
        ].join('\n');
        return output(io, values, s, human);
      });
    },
  },
  sessionCommand('next', 'Next turn (DM) → { session, round, turn, order }.', '', {}, async (play, s) => {
    const v = await play.combat.next(s);
    return {
      json: v,
      human: `round ${v.round}: ${v.order.find((o) => o.id === v.turn)?.name ?? v.turn}'s turn`,
    };
  }),
  sessionCommand(
    'damage',
    'Damage a combatant (DM) → { id, hp, tempHp, status, conditions, concentrationDc? }.',
    '<combatant> <amount> [--type T] [--critical]',
    { type: { type: 'string' }, critical: { type: 'boolean' } },
    async (play, s, { positionals, values }) => {
      const id = positional(positionals, 1, 'combatant');
      const amount = intArg(positionals[2], '<amount>', 0, 100_000);
      const type = stringOption(values, 'type');
      const c = await play.combat.damage(s, id, amount, {
        ...(type !== undefined ? { type } : {}),
        ...(values['critical'] === true ? { critical: true } : {}),
      });
      const { events: _e, ...json } = c;
      return { json, human: combatantHuman(c) };
    },
  ),
  sessionCommand(
    'heal',
    'Heal a combatant, or grant temporary HP with --temp (DM) → { id, hp, tempHp, status, conditions }.',
    '<combatant> <amount> [--temp]',
    { temp: { type: 'boolean' } },
    async (play, s, { positionals, values }) => {
      const id = positional(positionals, 1, 'combatant');
      const amount = intArg(positionals[2], '<amount>', 0, 100_000);
      const c = await play.combat.heal(s, id, amount, values['temp'] === true ? { temp: true } : {});
      return { json: c, human: combatantHuman(c) };
    },
  ),
  sessionCommand(
    'condition',
    'Add or remove a condition; --rounds N ends it at the start of the current turn N rounds later (DM).',
    '<combatant> add|remove <name> [--rounds N]',
    { rounds: { type: 'string' } },
    async (play, s, { positionals, values }) => {
      const id = positional(positionals, 1, 'combatant');
      const op = positional(positionals, 2, 'add|remove');
      if (op !== 'add' && op !== 'remove') throw new CliError(`<add|remove>: "${op}" must be add or remove`);
      const name = positional(positionals, 3, 'name');
      const roundsRaw = stringOption(values, 'rounds');
      const rounds = roundsRaw !== undefined ? intArg(roundsRaw, '--rounds', 1, 1000) : undefined;
      const c = await play.combat.condition(s, id, op, name, rounds !== undefined ? { rounds } : {});
      return { json: c, human: combatantHuman(c) };
    },
  ),
  sessionCommand(
    'death-save',
    'A death save with the natural d20 (--roll N, else rolled) → { id, hp, tempHp, status, conditions }.',
    '<combatant> [--roll N]',
    { roll: { type: 'string' } },
    async (play, s, { positionals, values }) => {
      const id = positional(positionals, 1, 'combatant');
      const raw = stringOption(values, 'roll');
      const c = await play.combat.deathSave(
        s,
        id,
        raw !== undefined ? intArg(raw, '--roll', 1, 20) : undefined,
      );
      return { json: c, human: combatantHuman(c) };
    },
  ),
  sessionCommand(
    'concentrate',
    'Start (--spell NAME) or end (--end) concentration (DM).',
    '<combatant> (--spell NAME | --end)',
    { spell: { type: 'string' }, end: { type: 'boolean' } },
    async (play, s, { positionals, values }) => {
      const id = positional(positionals, 1, 'combatant');
      const spell = stringOption(values, 'spell');
      if (spell === undefined && values['end'] !== true)
        throw new CliError('--spell: give --spell NAME or --end');
      const c = await play.combat.concentrate(s, id, spell ?? null);
      return { json: c, human: combatantHuman(c) };
    },
  ),
  sessionCommand(
    'concentration-save',
    'Resolve a prompted concentration save with the save total (--roll N) (DM).',
    '<combatant> --roll N',
    { roll: { type: 'string' } },
    async (play, s, { positionals, values }) => {
      const id = positional(positionals, 1, 'combatant');
      const c = await play.combat.concentrationSave(
        s,
        id,
        intArg(stringOption(values, 'roll'), '--roll', -20, 60),
      );
      return { json: c, human: combatantHuman(c) };
    },
  ),
  sessionCommand(
    'use',
    'Spend a legendary action (--cost N) or a recharge action (DM) → { legendary?: "X/Y", recharge? }.',
    '<combatant> <action> [--cost N]',
    { cost: { type: 'string' } },
    async (play, s, { positionals, values }) => {
      const id = positional(positionals, 1, 'combatant');
      const action = positional(positionals, 2, 'action');
      const raw = stringOption(values, 'cost');
      const r = await play.combat.use(
        s,
        id,
        action,
        raw !== undefined ? { cost: intArg(raw, '--cost', 1, 3) } : {},
      );
      return {
        json: r,
        human: r.legendary !== undefined ? `legendary actions ${r.legendary}` : `${action} spent`,
      };
    },
  ),
  sessionCommand(
    'reveal',
    'Reveal a hidden combatant to the players (DM).',
    '<combatant>',
    {},
    async (play, s, { positionals }) => {
      const v = await play.combat.reveal(s, positional(positionals, 1, 'combatant'));
      return { json: v, human: `revealed ${positionals[1] ?? ''}` };
    },
  ),
  sessionCommand('end', 'End the combat (DM).', '', {}, async (play, s) => {
    const v = await play.combat.end(s);
    return { json: v, human: `combat ${s} ended` };
  }),
  sessionCommand(
    'view',
    'The combat → { session, round, turn, order: [{ id, name, side, initiative, hidden, hp, tempHp, status, conditions }] }; --as player (default in a player folder) omits hidden combatants and gives foes a health label.',
    '[--as dm|player]',
    { as: { type: 'string' } },
    async (play, s, { values }) => {
      const as = stringOption(values, 'as');
      if (as !== undefined && as !== 'dm' && as !== 'player')
        throw new CliError(`--as: "${as}" must be dm or player`);
      const v = await play.combat.view(s, as);
      return { json: v, human: humanView(v) };
    },
  ),
  sessionCommand(
    'intent',
    'Ask the DM (player side) → { id, status: pending|applied|refused, reason? }.',
    '--character ID --action initiative|attack|damage|heal|end-turn [--target ID] [--amount N]',
    {
      character: { type: 'string' },
      action: { type: 'string' },
      target: { type: 'string' },
      amount: { type: 'string' },
    },
    async (play, s, { values }) => {
      const character = requireOption(values, 'character');
      const action = requireOption(values, 'action');
      const target = stringOption(values, 'target');
      const amountRaw = stringOption(values, 'amount');
      const r = await play.intents.submit(s, {
        character,
        action,
        ...(target !== undefined ? { target } : {}),
        ...(amountRaw !== undefined ? { amount: intArg(amountRaw, '--amount', 0, 100_000) } : {}),
      });
      return { json: r, human: `request ${r.id}: ${r.status}${r.reason ? ` (${r.reason})` : ''}` };
    },
  ),
  sessionCommand(
    'intents',
    'Requests of a session → [{ id, owner, action, character, target?, amount?, status, reason? }].',
    '',
    {},
    async (play, s) => {
      const rows = await play.intents.list(s);
      return {
        json: rows,
        human: rows.length
          ? rows
              .map(
                (r) =>
                  `${r.id}  ${r.owner}  ${r.action} ${r.character}${r.target ? ` → ${r.target}` : ''}${r.amount !== undefined ? ` ${r.amount}` : ''}  ${r.status}${r.reason ? ` (${r.reason})` : ''}`,
              )
              .join('\n')
          : 'no requests',
      };
    },
  ),
  sessionCommand(
    'resolve',
    'Apply or refuse a pending request (DM) → { id, status, reason }.',
    '<intent> apply|refuse [--reason T]',
    { reason: { type: 'string' } },
    async (play, s, { positionals, values }) => {
      const intent = positional(positionals, 1, 'intent');
      const decision = positional(positionals, 2, 'apply|refuse');
      if (decision !== 'apply' && decision !== 'refuse')
        throw new CliError(`<apply|refuse>: "${decision}" must be apply or refuse`);
      const reason = stringOption(values, 'reason');
      const r = await play.intents.resolve(s, intent, decision, reason);
      return { json: r, human: `request ${r.id}: ${r.status}${r.reason ? ` (${r.reason})` : ''}` };
    },
  ),
  sessionCommand(
    'auto-apply',
    'Which requests about one’s own character the DM’s peer applies without asking (default damage,heal,end-turn,initiative).',
    '<kinds,…|none>',
    {},
    async (play, s, { positionals }) => {
      const raw = positional(positionals, 1, 'kinds');
      const kinds =
        raw === 'none'
          ? []
          : raw
              .split(',')
              .map((k) => k.trim())
              .filter((k) => k !== '');
      const r = await play.combat.setAutoApply(s, kinds);
      return { json: { autoApply: r }, human: `auto-apply: ${r.join(', ') || 'none'}` };
    },
  ),
];

function sheetHuman(v: {
  hp: number;
  maxHp: number;
  tempHp: number;
  status: string;
  conditions: string[];
  exhaustion: number;
  concentration: string | null;
  inspiration: boolean;
  slots: { max: number[]; expended: number[] };
  concentrationDc?: number;
}): string {
  const slots = v.slots.max
    .map((m, i) => (m ? `${i + 1}: ${m - (v.slots.expended[i] ?? 0)}/${m}` : ''))
    .filter(Boolean)
    .join('  ');
  return [
    `HP ${v.hp}/${v.maxHp}${v.tempHp ? ` +${v.tempHp} temp` : ''}  ${v.status}${v.inspiration ? '  inspired' : ''}`,
    ...(slots ? [`slots  ${slots}`] : []),
    ...(v.conditions.length
      ? [`conditions: ${v.conditions.join(', ')}${v.exhaustion ? ` (exhaustion ${v.exhaustion})` : ''}`]
      : []),
    ...(v.concentration ? [`concentrating on ${v.concentration}`] : []),
    ...(v.concentrationDc !== undefined ? [`concentration save: DC ${v.concentrationDc}`] : []),
  ].join('\n');
}

combatCommands.push(
  {
    path: ['play', 'sheet'],
    summary:
      'A character’s play sheet → { maxHp, hp, tempHp, hitDice, slots, pact, conditions, exhaustion, concentration, deathSaves, status, inspiration }.',
    usage: '<character> [--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'character');
      return withCore(values, io, async (core) => {
        const v = await createPlay(core, { author: playAuthor(io) }).sheet.get(id);
        return output(io, values, v, sheetHuman(v));
      });
    },
  },
  {
    path: ['play', 'act'],
    summary:
      'One table action on a character’s play sheet (live state, synced, no commit): damage N [--type T] | heal N | temp-hp N | spend-slot LEVEL [--pact] | short-rest [--hit-dice d8:5,d8] | long-rest | exhaustion ±N | condition add|remove NAME | concentrate NAME|--end | death-save [--roll N] | inspiration on|off.',
    usage:
      '<character> <action> [value…] [--type T] [--pact] [--hit-dice D:R,…] [--roll N] [--end] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      type: { type: 'string' },
      pact: { type: 'boolean' },
      'hit-dice': { type: 'string' },
      roll: { type: 'string' },
      end: { type: 'boolean' },
    },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'character');
      const kind = positional(positionals, 1, 'action');
      if (!(SHEET_ACTION_KINDS as readonly string[]).includes(kind))
        throw new CliError(`<action>: "${kind}" is not one of ${SHEET_ACTION_KINDS.join(', ')}`);
      const arg = positionals[2];
      const n = (name: string, min: number, max: number) => intArg(arg, name, min, max);
      let action: SheetAction;
      switch (kind) {
        case 'damage': {
          const type = stringOption(values, 'type');
          action = { kind, amount: n('<amount>', 0, 100_000), ...(type !== undefined ? { type } : {}) };
          break;
        }
        case 'heal':
        case 'temp-hp':
          action = { kind, amount: n('<amount>', 0, 100_000) };
          break;
        case 'spend-slot':
          action = { kind, level: n('<level>', 1, 9), ...(values['pact'] === true ? { pact: true } : {}) };
          break;
        case 'short-rest': {
          const raw = stringOption(values, 'hit-dice');
          const dice = (raw ?? '')
            .split(',')
            .filter((x) => x.trim() !== '')
            .map((x) => {
              const [die, r] = x.trim().split(':');
              return { die: die ?? '', ...(r !== undefined ? { roll: intArg(r, '--hit-dice', 1, 12) } : {}) };
            });
          action = { kind, dice };
          break;
        }
        case 'long-rest':
          action = { kind };
          break;
        case 'exhaustion':
          action = { kind, delta: n('<delta>', -6, 6) };
          break;
        case 'condition': {
          const op = arg;
          if (op !== 'add' && op !== 'remove')
            throw new CliError(`<add|remove>: "${op ?? ''}" must be add or remove`);
          action = { kind, op, name: positional(positionals, 3, 'name') };
          break;
        }
        case 'concentrate':
          if (values['end'] !== true && arg === undefined)
            throw new CliError('<name>: give the effect, or --end');
          action = { kind, effect: values['end'] === true ? null : (arg as string) };
          break;
        case 'death-save': {
          const raw = stringOption(values, 'roll');
          action = { kind, ...(raw !== undefined ? { d20: intArg(raw, '--roll', 1, 20) } : {}) };
          break;
        }
        default: {
          if (arg !== 'on' && arg !== 'off') throw new CliError(`<on|off>: "${arg ?? ''}" must be on or off`);
          action = { kind: 'inspiration', value: arg === 'on' };
        }
      }
      return withCore(values, io, async (core) => {
        const v = await createPlay(core, { author: playAuthor(io) }).sheet.act(id, action);
        return output(io, values, v, sheetHuman(v));
      });
    },
  },
);
