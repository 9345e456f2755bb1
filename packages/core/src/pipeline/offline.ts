/**
 * The offline generator behind llm's `ProceduralProvider`: it reads the same prompt a model would (task, fenced
 * concept/feedback/theme, seed) and answers deterministically. `character.create` runs `generateOffline`;
 * `character.refine` understands a few plain commands ("rename to X", "add X", "remove X", "replace A with B");
 * `character.retheme` re-skins names and lore from the theme tables. Anything else is an `invalid_output`
 * error naming the task, so the pipeline saves nothing.
 */
import { normalizeName } from '../generation/text';
import { LlmError, type ProceduralGenerator, type ProceduralRequest } from '@loreforge/llm';
import type { Build, Content } from '@loreforge/rules-5e';
import {
  THEMES,
  generateOffline,
  hashString,
  resolveToSrd,
  type DraftChoices,
  type DraftElement,
  type LoreEntry,
  type Theme,
} from '../generation/index';
import { fencedText } from './prompts';
import {
  toCreatureChoices,
  type CharacterDraft,
  type MonsterDraft,
  type RefinePatch,
  type Retheme,
} from './schemas';

export const OFFLINE_PROVIDER_ID = 'offline';

function userText(request: ProceduralRequest): string {
  return request.messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');
}

function fail(detail: string): never {
  throw new LlmError('invalid_output', OFFLINE_PROVIDER_ID, detail);
}

const KIND_WORDS: Readonly<Record<string, 'pc' | 'npc' | 'monster'>> = {
  'player character': 'pc',
  'non-player character': 'npc',
  monster: 'monster',
};

/** Turn a generator draft into the model-facing answer shape (ids already are valid names). */
export function draftToAnswer(draft: DraftChoices, content: Content): CharacterDraft | MonsterDraft {
  if (draft.kind === 'monster') {
    if (!draft.creature) fail('the generator returned a monster without a stat block');
    return {
      creature: toCreatureChoices(draft.creature.statBlock),
      ...(draft.creature.basedOn === undefined ? {} : { basedOn: draft.creature.basedOn }),
      narrative: draft.narrative,
      lore: draft.lore,
    };
  }
  if (!draft.build) fail(`the generator returned a ${draft.kind} without a build`);
  return {
    build: draft.build,
    narrative: draft.narrative,
    lore: draft.lore,
    // As the schema asks: only display names that differ from the SRD name (re-skins).
    elements: draft.elements
      .filter((e) => e.tag !== 'srd' || !sameAsSrdName(e, content))
      .map((e) => ({ kind: e.kind, name: e.name })),
    custom: [],
  };
}

function srdName(kind: DraftElement['kind'], id: string, content: Content): string | undefined {
  switch (kind) {
    case 'species':
      return content.species.get(id)?.name;
    case 'class':
      return content.classes.get(id)?.name;
    case 'subclass':
      return content.subclasses.get(id)?.name;
    case 'background':
      return content.backgrounds.get(id)?.name;
    case 'feat':
      return content.feats.get(id)?.name;
    case 'item':
      return content.items.get(id)?.name;
    case 'spell':
      return content.spells.get(id)?.name;
  }
}

function sameAsSrdName(e: DraftElement, content: Content): boolean {
  const name = e.id === undefined ? undefined : srdName(e.kind, e.id, content);
  return name !== undefined && normalizeName(name) === normalizeName(e.name);
}

function parseCr(text: string): number {
  const m = /^(\d+)(?:\/(\d+))?$/.exec(text);
  if (!m) fail(`monster.create: challenge rating "${text}" is not a number`);
  return m[2] === undefined ? Number(m[1]) : Number(m[1]) / Number(m[2]);
}

function create(request: ProceduralRequest, content: Content): CharacterDraft | MonsterDraft {
  const text = userText(request);
  const monster = /Create a monster of challenge rating (\S+) from the concept below/.exec(text);
  if (monster?.[1]) {
    const concept = fencedText(text, 'concept');
    if (concept === undefined) fail('monster.create: the prompt has no concept to work from');
    const theme = fencedText(text, 'theme');
    return draftToAnswer(
      generateOffline(
        {
          concept,
          kind: 'monster',
          cr: parseCr(monster[1]),
          ...(theme === undefined ? {} : { theme }),
          seed: request.seed ?? 0,
        },
        content,
      ),
      content,
    );
  }
  const head = /Create an? (player character|non-player character|monster)(?: of level (\d+))?/.exec(text);
  const concept = fencedText(text, 'concept');
  if (!head || concept === undefined) fail('character.create: the prompt has no concept to work from');
  const kind = KIND_WORDS[head[1] ?? ''] ?? 'pc';
  const level = head[2] === undefined ? undefined : Number(head[2]);
  const theme = fencedText(text, 'theme');
  const draft = generateOffline(
    {
      concept,
      kind,
      ...(level === undefined ? {} : kind === 'monster' ? { cr: level } : { level }),
      ...(theme === undefined ? {} : { theme }),
      seed: request.seed ?? 0,
    },
    content,
  );
  return draftToAnswer(draft, content);
}

interface CurrentCharacter {
  build: Build;
}

function currentCharacter(text: string): CurrentCharacter {
  const raw = fencedText(text, 'character');
  if (raw === undefined) fail('the prompt has no current character');
  try {
    const value = JSON.parse(raw) as { build?: Build };
    if (!value.build) fail('the current character has no build');
    return { build: value.build };
  } catch (err) {
    if (err instanceof LlmError) throw err;
    return fail(`the current character is not JSON (${(err as Error).message})`);
  }
}

/** Resolve a name to an SRD item or spell id, only when it is a confident match. */
function srdThing(name: string, content: Content): { kind: 'item' | 'spell'; id: string } | undefined {
  for (const kind of ['item', 'spell'] as const) {
    const r = resolveToSrd(kind, name, content);
    if (r.tag === 'srd') return { kind, id: r.id };
  }
  return undefined;
}

function refine(request: ProceduralRequest, content: Content): RefinePatch {
  const text = userText(request);
  const feedback = fencedText(text, 'feedback');
  if (feedback === undefined) fail('character.refine: the prompt has no feedback');
  const { build } = currentCharacter(text);
  let equipment = [...build.equipment];
  let spells = build.spells?.map((s) => ({ ...s, prepared: [...s.prepared] }));
  let name: string | undefined;
  const changes: RefinePatch['changes'] = [];
  const note = (field: RefinePatch['changes'][number]['field'], explanation: string) => {
    if (!changes.some((c) => c.field === field)) changes.push({ field, explanation });
  };
  const remove = (what: string): boolean => {
    const thing = srdThing(what, content);
    if (thing?.kind === 'item' && equipment.some((e) => e.item === thing.id)) {
      equipment = equipment.filter((e) => e.item !== thing.id);
      note('build.equipment', `Removed ${thing.id} as asked.`);
      return true;
    }
    if (
      thing?.kind === 'spell' &&
      spells?.some((s) => s.prepared.includes(thing.id) || s.cantrips.includes(thing.id))
    ) {
      spells = spells.map((s) => ({
        ...s,
        cantrips: s.cantrips.filter((x) => x !== thing.id),
        prepared: s.prepared.filter((x) => x !== thing.id),
      }));
      note('build.spells', `Removed ${thing.id} as asked.`);
      return true;
    }
    return false;
  };
  const add = (what: string): boolean => {
    const thing = srdThing(what, content);
    if (thing?.kind === 'item') {
      if (!equipment.some((e) => e.item === thing.id)) equipment.push({ item: thing.id });
      note('build.equipment', `Added ${thing.id} as asked.`);
      return true;
    }
    if (thing?.kind === 'spell' && spells && spells.length > 0) {
      const spell = content.spells.get(thing.id);
      const list = spells[0];
      if (list && spell) {
        const key = spell.level === 0 ? 'cantrips' : 'prepared';
        if (!list[key].includes(thing.id)) list[key] = [...list[key], thing.id];
        note('build.spells', `Added ${thing.id} as asked.`);
        return true;
      }
    }
    return false;
  };
  for (const sentence of feedback
    .split(/[.;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    let m =
      /^(?:rename (?:(?:him|her|them|it) )?to|call (?:him|her|them|it)|name (?:him|her|them|it))\s+(.+)$/i.exec(
        sentence,
      );
    if (m?.[1]) {
      name = m[1].trim();
      note('build.name', `Renamed to ${name} as asked.`);
      continue;
    }
    m = /^(?:replace|swap)\s+(?:the\s+|a\s+|an\s+)?(.+?)\s+(?:with|for)\s+(?:a\s+|an\s+|the\s+)?(.+)$/i.exec(
      sentence,
    );
    if (m?.[1] && m[2] && remove(m[1]) && add(m[2])) continue;
    m = /^(?:add|give (?:him|her|them|it))\s+(?:a\s+|an\s+|the\s+)?(.+)$/i.exec(sentence);
    if (m?.[1] && add(m[1])) continue;
    m = /^(?:remove|drop)\s+(?:the\s+|a\s+|an\s+)?(.+)$/i.exec(sentence);
    if (m?.[1] && remove(m[1])) continue;
  }
  if (changes.length === 0) {
    fail(
      'character.refine: the offline generator understands only "rename to NAME", "add ITEM/SPELL", "remove ITEM/SPELL" and "replace A with B"; use a model for free-form feedback',
    );
  }
  return {
    changes,
    build: {
      ...(name === undefined ? {} : { name }),
      equipment,
      ...(spells === undefined ? {} : { spells }),
    },
  };
}

/** The theme table entry a free-text theme matches best (by keywords), if any. */
export function matchTheme(theme: string): Theme | undefined {
  const text = ` ${theme.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
  let best: Theme | undefined;
  let bestHits = 0;
  for (const t of THEMES) {
    const hits = [t.id, ...t.keywords].filter((k) => text.includes(` ${k.toLowerCase()} `)).length;
    if (hits > bestHits) {
      best = t;
      bestHits = hits;
    }
  }
  return best;
}

function pickBy<T>(items: readonly T[], key: string): T | undefined {
  return items.length === 0 ? undefined : items[hashString(key) % items.length];
}

function retheme(request: ProceduralRequest, content: Content): Retheme {
  const text = userText(request);
  const themeText = fencedText(text, 'theme');
  if (themeText === undefined) fail('character.retheme: the prompt has no theme');
  const { build } = currentCharacter(text);
  const table = matchTheme(themeText);
  const key = `${build.name}|${themeText}|${request.seed ?? 0}`;
  const adjective = (table && pickBy(table.adjectives, `${key}|adj`)) ?? themeText;
  const place = (table && pickBy(table.places, `${key}|place`)) ?? `a ${themeText} world`;
  const first = table && pickBy(table.namesFirst, `${key}|first`);
  const last = table && pickBy(table.namesLast, `${key}|last`);
  const lore: LoreEntry[] = [];
  for (const entry of build.equipment) {
    const item = content.items.get(entry.item);
    if (!item) continue;
    if (item.kind === 'weapon') {
      const ranged = item.ranged;
      const skin = table ? (ranged ? table.rangedSkin : table.meleeSkin) : item.name.toLowerCase();
      lore.push({
        element: item.name,
        kind: 'weapon',
        text: `Here it is a ${adjective} ${skin}, carried through ${place}; it works as a ${item.name.toLowerCase()}.`,
      });
    } else if (item.kind === 'armor') {
      const skin = table?.armorSkin ?? item.name.toLowerCase();
      lore.push({
        element: item.name,
        kind: 'armor',
        text: `Worn as ${adjective} ${skin} in ${place}; it protects like ${item.name.toLowerCase()}.`,
      });
    }
  }
  for (const list of build.spells ?? []) {
    for (const id of [...list.cantrips, ...list.prepared]) {
      const spell = content.spells.get(id);
      if (!spell) continue;
      lore.push({
        element: spell.name,
        kind: 'spell',
        text: `In ${place} this is ${table ? `${table.magicWord}` : 'a technique'} with a ${adjective} look; its effect is unchanged.`,
      });
    }
  }
  return {
    ...(first !== undefined && last !== undefined ? { name: `${first}${last}` } : {}),
    narrative: {
      backstory: `Carried into ${place}, ${build.name} keeps the memories of an earlier life and now walks a ${adjective} road.`,
      appearance: `Dressed for ${place}: ${adjective} gear over familiar scars.`,
    },
    lore,
  };
}

/** The deterministic generator for `kind: 'offline'` providers. */
export function proceduralGenerator(content: Content): ProceduralGenerator {
  return (request) => {
    switch (request.task) {
      case 'character.create':
        return create(request, content);
      case 'character.refine':
        return refine(request, content);
      case 'character.retheme':
        return retheme(request, content);
      default:
        return fail(`the offline generator has no answer for task "${request.task ?? '(none)'}"`);
    }
  };
}
