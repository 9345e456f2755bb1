/**
 * `pnpm eval`: runs 50 varied concepts through the whole character pipeline twice — with the offline generator,
 * and with a deliberately flawed model (a fake OpenAI-compatible server on 127.0.0.1 whose answers come from the
 * offline generator and are then corrupted deterministically: impossible scores, unknown classes and species,
 * 40 prepared spells, no equipment, typo'd and re-skinned names, derived numbers, overpowered custom content,
 * prose around the JSON, malformed JSON on a first attempt). Prints a table and a summary; exits 1 unless every
 * character ends rules-valid. Then the concept-fidelity eval (`eval-fidelity.ts`, 133 concepts × 3 seeds through
 * the offline generator): pass rate per dimension and overall; exits 1 when overall is below 90%. Then refine,
 * retheme and squad checks through the offline pipeline (`eval-edits.ts`); exits 1 when one fails.
 */
import { pathToFileURL } from 'node:url';
import {
  createCore,
  createPipeline,
  createPipelineRouter,
  fencedText,
  loadSrdContent,
  proceduralGenerator,
  type CharacterDraft,
  type MonsterDraft,
  type PipelineResult,
} from '@loreforge/core';
import type { ChatMessage } from '@loreforge/llm';
import { startFakeOpenAi } from '@loreforge/llm/test-fakes';
import { SKILL_IDS, type Content } from '@loreforge/rules-5e';
import { HELD_OUT_CONCEPTS, HELD_OUT_LATE } from './eval-concepts';
import { formatEditChecks, runEditChecks } from './eval-edits';
import { formatFidelity, runFidelity } from './eval-fidelity';

export interface EvalConcept {
  readonly concept: string;
  readonly kind: 'pc' | 'npc' | 'monster';
  readonly level?: number;
  readonly cr?: number;
  readonly theme?: string;
}

export const EVAL_CONCEPTS: readonly EvalConcept[] = [
  { concept: 'Yoda, a small green wise master of the Force', kind: 'pc', level: 9, theme: 'sci-fi' },
  { concept: 'a cyberpunk netrunner', kind: 'pc', level: 3 },
  { concept: 'a knight sworn to a fallen king', kind: 'pc', level: 5 },
  { concept: 'an elven wizard obsessed with fire', kind: 'pc', level: 7 },
  { concept: 'a jedi padawan with a blue lightsaber', kind: 'pc', level: 2, theme: 'sci-fi' },
  { concept: 'a ronin seeking redemption', kind: 'pc', level: 6, theme: 'feudal japan' },
  { concept: 'a halfling burglar with a heart of gold', kind: 'pc', level: 4 },
  { concept: 'a village healer who talks to spirits', kind: 'pc', level: 1 },
  { concept: 'a viking berserker', kind: 'pc', level: 8, theme: 'historical' },
  { concept: 'a druid guarding an ancient forest', kind: 'pc', level: 5 },
  { concept: 'a border ranger hunting monsters with a longbow', kind: 'pc', level: 11 },
  { concept: 'a tiefling warlock bound to a devil', kind: 'pc', level: 5 },
  { concept: 'a monk from a mountain monastery', kind: 'pc', level: 4 },
  { concept: 'a travelling bard and storyteller', kind: 'pc', level: 3 },
  { concept: 'a storm sorcerer with dragon blood', kind: 'pc', level: 10 },
  { concept: 'a roman centurion', kind: 'pc', level: 5, theme: 'historical' },
  { concept: 'a space marine on a derelict starship', kind: 'pc', level: 6, theme: 'space' },
  { concept: 'a hacker who breaks megacorp firewalls', kind: 'pc', level: 2, theme: 'cyberpunk' },
  { concept: 'a necromancer raising the dead', kind: 'pc', level: 12 },
  { concept: 'a paladin of the dawn', kind: 'pc', level: 14 },
  { concept: 'a pirate captain with a cutlass', kind: 'pc', level: 7 },
  { concept: 'a victorian detective', kind: 'pc', level: 3, theme: 'historical' },
  { concept: 'a dwarven blacksmith turned soldier', kind: 'pc', level: 1 },
  { concept: 'a gnome tinkerer and inventor', kind: 'pc', level: 5 },
  { concept: 'an android bodyguard', kind: 'pc', level: 4, theme: 'cyberpunk' },
  { concept: 'a wandering medieval priest', kind: 'pc', level: 17 },
  { concept: 'a gladiator who won her freedom', kind: 'pc', level: 9, theme: 'historical' },
  { concept: 'an assassin of a secret guild', kind: 'pc', level: 13 },
  { concept: 'a frost witch from the northern glaciers', kind: 'pc', level: 6 },
  { concept: 'a scholar of forbidden lore', kind: 'pc', level: 20 },
  { concept: 'a cowboy gunslinger', kind: 'pc', level: 5, theme: 'western' },
  { concept: 'a baker who fights with a rolling pin', kind: 'pc', level: 1 },
  { concept: 'a samurai retainer with a katana', kind: 'pc', level: 8, theme: 'feudal japan' },
  { concept: 'a starship pilot with a blaster pistol', kind: 'pc', level: 3, theme: 'sci-fi' },
  { concept: 'a mongol horse archer', kind: 'pc', level: 6, theme: 'historical' },
  { concept: 'a city guard captain', kind: 'npc', level: 4 },
  { concept: 'a tavern keeper with a shady past', kind: 'npc', level: 2 },
  { concept: 'a cult leader of an eldritch god', kind: 'npc', level: 9 },
  { concept: 'a royal diplomat', kind: 'npc', level: 3 },
  { concept: 'a sith lord', kind: 'npc', level: 15, theme: 'sci-fi' },
  { concept: 'a goblin raider', kind: 'monster', cr: 0.25 },
  { concept: 'a plague rat swarm', kind: 'monster', cr: 0.5 },
  { concept: 'a cyber wolf hunting the neon streets', kind: 'monster', cr: 1, theme: 'cyberpunk' },
  { concept: 'a clockwork robot sentinel', kind: 'monster', cr: 2 },
  { concept: 'a giant spider queen', kind: 'monster', cr: 3 },
  { concept: 'an undead knight', kind: 'monster', cr: 5 },
  { concept: 'a demon from the abyss', kind: 'monster', cr: 10 },
  { concept: 'a storm giant', kind: 'monster', cr: 13 },
  { concept: 'an ancient red dragon', kind: 'monster', cr: 20 },
  { concept: 'a xenomorph stalking a space station', kind: 'monster', cr: 6, theme: 'space' },
];

export type EvalMode = 'offline' | 'flawed-model';

export interface EvalRow {
  readonly mode: EvalMode;
  readonly concept: string;
  readonly kind: EvalConcept['kind'];
  readonly valid: boolean;
  readonly saved: boolean;
  readonly repairs: number;
  readonly balance: number;
  readonly attempts: number;
  readonly items: {
    readonly total: number;
    readonly srd: number;
    readonly adapted: number;
    readonly custom: number;
  };
  readonly cr: number | null;
  readonly corruption: string;
  /** Elements named by the character, and how many have no lore. */
  readonly elements: number;
  readonly loreMissing: number;
  readonly error?: string;
}

export interface EvalSummary {
  readonly mode: EvalMode;
  readonly characters: number;
  readonly valid: number;
  readonly validShare: number;
  readonly repairsPerCharacter: number;
  /** Items and spells resolved to an SRD entry exactly (`srd`) or as a re-skin (`adapted`), of all named. */
  readonly srdShare: number;
  readonly mappedShare: number;
  /** Share of elements (species, class, items, spells…) that came with lore. */
  readonly loreShare: number;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const CORRUPTIONS = [
  'scores of 25 and an unknown class',
  '40 prepared spells',
  'no equipment, derived numbers sent',
  "typo'd and display names",
  're-skinned gear and overpowered custom content',
  'every skill, junk feats and expertise',
  'level 25 and junk multiclass',
  'unknown species, background and lineage',
] as const;

function titleTypo(id: string, salt: number): string {
  const name = id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
  if (salt % 2 === 0 || name.length < 6) return name;
  const i = 2 + (salt % (name.length - 4));
  return name.slice(0, i) + (name[i + 1] ?? '') + (name[i] ?? '') + name.slice(i + 2); // swap two letters
}

/** Deterministically break a good draft the way weak models do. */
export function corruptCharacter(
  draft: CharacterDraft,
  n: number,
  content: Content,
): CharacterDraft & Record<string, unknown> {
  const b = structuredClone(draft.build);
  switch (n % CORRUPTIONS.length) {
    case 0:
      b.abilityScores = { str: 25, dex: 25, con: 25, int: 25, wis: 25, cha: 25 };
      b.classes = [{ class: 'Jedi Knight', level: b.classes.reduce((s, c) => s + c.level, 0) }];
      break;
    case 1: {
      const all = [...content.spells.values()].filter((s) => s.level >= 1).map((s) => s.name);
      b.spells = [
        { class: b.classes[0]?.class ?? 'wizard', cantrips: [], prepared: all.slice(n % 50, (n % 50) + 40) },
      ];
      break;
    }
    case 2:
      b.equipment = [];
      return {
        ...draft,
        build: { ...b, armorClass: 29, hitPoints: { max: 999 }, proficiencyBonus: 9 } as typeof b,
        derived: { armorClass: 29, initiative: 12 },
      };
    case 3:
      b.equipment = b.equipment.map((e, i) => ({ ...e, item: titleTypo(e.item, n + i) }));
      b.spells = b.spells?.map((s) => ({
        ...s,
        cantrips: s.cantrips.map((x, i) => titleTypo(x, n + i)),
        prepared: s.prepared.map((x, i) => titleTypo(x, n + i + 1)),
      }));
      b.species = titleTypo(b.species, n);
      b.background = titleTypo(b.background, n + 1);
      break;
    case 4:
      b.equipment = [
        { item: 'Plasma Blade', equipped: true },
        { item: 'Blaster Pistol' },
        { item: 'Power Armor', equipped: true },
        ...b.equipment.slice(2),
      ];
      return {
        ...draft,
        build: b,
        elements: [...draft.elements, { kind: 'item', name: 'Plasma Blade' }],
        custom: [
          {
            kind: 'spell',
            name: 'Mind Storm',
            description: 'A psychic squall.',
            level: 1,
            damage: '10d10',
            targets: 'multiple',
          },
          {
            kind: 'weapon',
            name: 'Vibro Axe',
            description: 'A humming axe.',
            category: 'martial',
            ranged: false,
            properties: ['heavy', 'two-handed'],
            damage: '4d12',
          },
          {
            kind: 'magic-item',
            name: 'Ring of Everything',
            description: 'Too good.',
            rarity: 'uncommon',
            bonus: 5,
          },
        ],
      };
    case 5:
      b.skills = [...SKILL_IDS];
      b.expertise = ['arcana', 'stealth', 'athletics', 'history'];
      b.feats = [...b.feats, 'Super Strength', 'Alert', 'Alert'];
      break;
    case 6:
      b.classes = [
        { class: b.classes[0]?.class ?? 'fighter', level: 25 },
        { class: 'Wizard', level: 3 },
        { class: 'Monk', level: 2 },
      ];
      break;
    case 7:
      b.species = 'Martian';
      b.background = 'Netrunner Hacker';
      b.lineage = 'Red Sand Clan';
      break;
  }
  return { ...draft, build: b };
}

function corruptMonster(draft: MonsterDraft, n: number): MonsterDraft {
  return {
    ...draft,
    creature: {
      ...draft.creature,
      cr: n % 2 === 0 ? 30 : 0,
      xp: 1,
      proficiencyBonus: 9,
      name: n % 3 === 0 ? `${draft.creature.name} the Unstoppable` : draft.creature.name,
    },
  };
}

interface ChatBody {
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  readonly seed?: number;
}

/** The flawed model: offline answer → corruption → optional prose → sometimes broken JSON first. */
function flawedReply(content: Content) {
  const generate = proceduralGenerator(content);
  const seen = new Map<string, number>();
  return (body: unknown) => {
    const b = body as ChatBody;
    const system = b.messages.find((m) => m.role === 'system')?.content ?? '';
    const messages = b.messages
      .filter((m) => m.role === 'user' || m.role === 'assistant')
      .slice(0, 1) as ChatMessage[];
    const first = messages[0]?.content ?? '';
    const concept = fencedText(first, 'concept') ?? '';
    const n = hash(concept);
    const count = (seen.get(concept) ?? 0) + 1;
    seen.set(concept, count);
    if (count === 1 && n % 5 === 0) return { content: '{"build": {"name": "Half an answer", "classes": [' };
    const answer = generate({
      task: 'character.create',
      system,
      messages,
      seed: b.seed,
      temperature: undefined,
      schemaName: 'draft',
      jsonSchema: {},
    }) as CharacterDraft | MonsterDraft;
    const broken = 'creature' in answer ? corruptMonster(answer, n) : corruptCharacter(answer, n, content);
    const json = JSON.stringify(broken);
    return { content: n % 3 === 0 ? `Here is the character you asked for:\n${json}\nHave fun!` : json };
  };
}

function rowFrom(mode: EvalMode, c: EvalConcept, r: PipelineResult, corruption: string): EvalRow {
  return {
    mode,
    concept: c.concept,
    kind: c.kind,
    valid: r.validation.valid,
    saved: r.id !== null,
    repairs: r.repairs.length,
    balance: r.balance.length,
    attempts: r.provenance.attempts,
    items: r.mapping,
    cr: r.challenge?.cr ?? null,
    corruption,
    elements: r.elements.length,
    loreMissing: r.loreMissing.length,
  };
}

export function summarize(mode: EvalMode, rows: readonly EvalRow[]): EvalSummary {
  const mine = rows.filter((r) => r.mode === mode);
  const valid = mine.filter((r) => r.valid && !r.error).length;
  const total = mine.reduce((s, r) => s + r.items.total, 0);
  const srd = mine.reduce((s, r) => s + r.items.srd, 0);
  const adapted = mine.reduce((s, r) => s + r.items.adapted, 0);
  return {
    mode,
    characters: mine.length,
    valid,
    validShare: mine.length === 0 ? 0 : valid / mine.length,
    repairsPerCharacter: mine.length === 0 ? 0 : mine.reduce((s, r) => s + r.repairs, 0) / mine.length,
    srdShare: total === 0 ? 0 : srd / total,
    mappedShare: total === 0 ? 0 : (srd + adapted) / total,
    loreShare: (() => {
      const elements = mine.reduce((sum, r) => sum + r.elements, 0);
      const missing = mine.reduce((sum, r) => sum + r.loreMissing, 0);
      return elements === 0 ? 0 : (elements - missing) / elements;
    })(),
  };
}

export async function runEval(
  options: { concepts?: readonly EvalConcept[]; modes?: readonly EvalMode[] } = {},
): Promise<{ rows: EvalRow[]; summaries: EvalSummary[] }> {
  const concepts = options.concepts ?? EVAL_CONCEPTS;
  const modes = options.modes ?? (['offline', 'flawed-model'] as const);
  const content = loadSrdContent();
  const rows: EvalRow[] = [];
  const fake = modes.includes('flawed-model') ? await startFakeOpenAi() : undefined;
  if (fake) fake.chat.fallback = flawedReply(content);
  try {
    for (const mode of modes) {
      const core = await createCore({ dataDir: null });
      try {
        const { router } = await createPipelineRouter(
          content,
          mode === 'offline'
            ? { provider: 'offline' }
            : {
                provider: 'openai',
                openaiBaseURL: fake?.baseURL,
                model: 'flawed-fake',
                retryHooks: { sleep: async () => {} },
              },
        );
        const pipeline = createPipeline(core, { llm: router, content });
        for (const [i, c] of concepts.entries()) {
          const corruption =
            mode === 'offline'
              ? 'none'
              : c.kind === 'monster'
                ? 'wrong CR, XP and proficiency'
                : (CORRUPTIONS[hash(c.concept) % CORRUPTIONS.length] ?? '');
          try {
            const r = await pipeline.createDraft({
              concept: c.concept,
              kind: c.kind,
              seed: i + 1,
              ...(c.level === undefined ? {} : { level: c.level }),
              ...(c.cr === undefined ? {} : { cr: c.cr }),
              ...(c.theme === undefined ? {} : { theme: c.theme }),
            });
            rows.push(rowFrom(mode, c, r, corruption));
          } catch (err) {
            rows.push({
              mode,
              concept: c.concept,
              kind: c.kind,
              valid: false,
              saved: false,
              repairs: 0,
              balance: 0,
              attempts: 0,
              items: { total: 0, srd: 0, adapted: 0, custom: 0 },
              cr: null,
              corruption,
              elements: 0,
              loreMissing: 0,
              error: (err as Error).message,
            });
          }
        }
      } finally {
        await core.close();
      }
    }
  } finally {
    await fake?.close();
  }
  return { rows, summaries: modes.map((m) => summarize(m, rows)) };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatReport(rows: readonly EvalRow[], summaries: readonly EvalSummary[]): string {
  const lines = [
    '| mode | concept | kind | valid | repairs | balance | attempts | items/spells srd+adapted/total | CR | corruption |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.mode} | ${r.concept} | ${r.kind} | ${r.valid ? 'yes' : `NO${r.error ? ` (${r.error})` : ''}`} | ${r.repairs} | ${r.balance} | ${r.attempts} | ${r.items.srd}+${r.items.adapted}/${r.items.total} | ${r.cr ?? ''} | ${r.corruption} |`,
    ),
    '',
    '| mode | characters | rules-valid | repairs per character | items/spells exactly SRD | mapped to SRD (srd + adapted) | elements with lore |',
    '|---|---|---|---|---|---|---|',
    ...summaries.map(
      (s) =>
        `| ${s.mode} | ${s.characters} | ${s.valid} (${pct(s.validShare)}) | ${s.repairsPerCharacter.toFixed(2)} | ${pct(s.srdShare)} | ${pct(s.mappedShare)} | ${pct(s.loreShare)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Goal for concept fidelity (issue 12): share of offline drafts that pass every check that applies. */
export const FIDELITY_GOAL = 0.9;

async function main(): Promise<void> {
  const { rows, summaries } = await runEval();
  process.stdout.write(formatReport(rows, summaries));
  const allValid = summaries.every((s) => s.valid === s.characters);
  if (!allValid) {
    process.stderr.write('eval: not every character ended rules-valid\n');
    process.exitCode = 1;
  }
  const fidelity = runFidelity(loadSrdContent());
  process.stdout.write(`\n${formatFidelity(fidelity.rows, fidelity.summary)}`);
  const heldOut = runFidelity(loadSrdContent(), { concepts: HELD_OUT_CONCEPTS });
  process.stdout.write(
    `\nHeld-out concepts (never tuned on):\n${formatFidelity(heldOut.rows, heldOut.summary)}`,
  );
  const late = runFidelity(loadSrdContent(), { concepts: HELD_OUT_LATE });
  process.stdout.write(
    `\nSecond held-out set (written last, never tuned on):\n${formatFidelity(late.rows, late.summary)}`,
  );
  const edits = await runEditChecks(loadSrdContent());
  process.stdout.write(`\nRefine, retheme and squad checks (offline):\n${formatEditChecks(edits)}`);
  if (edits.some((e) => !e.passed)) {
    process.stderr.write('eval: a refine, retheme or squad check failed\n');
    process.exitCode = 1;
  }
  if (fidelity.summary.overallRate < FIDELITY_GOAL) {
    process.stderr.write(
      `eval: concept fidelity ${(fidelity.summary.overallRate * 100).toFixed(1)}% is below the ${FIDELITY_GOAL * 100}% goal\n`,
    );
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`eval: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
