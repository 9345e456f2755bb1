/**
 * The offline generator behind llm's `ProceduralProvider`: it reads the same prompt a model would (task, fenced
 * concept/feedback/theme, seed) and answers deterministically. `character.create` runs `generateOffline`;
 * `character.refine` understands common free-form requests: rename (carried into every narrative text), add /
 * remove / swap items and spells (a new weapon is equipped; a two-handed one puts the shield away; props in
 * everyday words go through the concept reader's table), "older"/"younger", "more X, less Y" (stealthy, tanky,
 * strong, smart, wise, charming move two ability points), "make her a healer" / "make him an elf" (class or
 * species: the mechanics are rebuilt by the generator, name and story kept); what it cannot do it names, with
 * what it understood;
 * `character.retheme` composes a new story in the theme (its places, a theme-fitting new name used in every
 * text, the character's own pronouns, species and class) and re-skins gear and spell lore; a theme with no table
 * is composed from its own words. Anything else is an `invalid_output`
 * error naming the task, so the pipeline saves nothing.
 */
import { normalizeName } from '../generation/text';
import { LlmError, type ProceduralGenerator, type ProceduralRequest } from '@loreforge/llm';
import { ABILITIES, type Ability, type Build, type Content } from '@loreforge/rules-5e';
import { readConcept } from '../generation/reader';
import { composeCharacterStory, makeName, withArticle } from '../generation/story';
import { contentTokens } from '../generation/text';
import type { Pronoun } from '../generation/reader';
import {
  THEMES,
  createRng,
  generateOffline,
  hashString,
  resolveToSrd,
  type DraftChoices,
  type DraftElement,
  type LoreEntry,
  type Narrative,
  type Theme,
} from '../generation/index';
import { fencedText } from './prompts';
import {
  NARRATIVE_PATCH_FIELDS,
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
  narrative?: Partial<Narrative>;
}

function currentCharacter(text: string): CurrentCharacter {
  const raw = fencedText(text, 'character');
  if (raw === undefined) fail('the prompt has no current character');
  try {
    const value = JSON.parse(raw) as { build?: Build; narrative?: Partial<Narrative> };
    if (!value.build) fail('the current character has no build');
    return { build: value.build, ...(value.narrative ? { narrative: value.narrative } : {}) };
  } catch (err) {
    if (err instanceof LlmError) throw err;
    return fail(`the current character is not JSON (${(err as Error).message})`);
  }
}

/** Resolve a name to an SRD item or spell id, only when it is a confident match. */
function srdThing(name: string, content: Content): { kind: 'item' | 'spell'; id: string } | undefined {
  for (const kind of ['item', 'spell'] as const) {
    const r = resolveToSrd(kind, name, content);
    if (r.tag === 'srd' || r.tag === 'adapted') return { kind, id: r.id };
  }
  // Props in everyday words ("a great hammer", "a rolling pin") through the concept reader's table.
  const items = readConcept(name).items.filter((id) => content.items.has(id));
  return items[0] === undefined ? undefined : { kind: 'item', id: items[0] };
}

/** The narrative fields a rename rewrites: all but `relationships` (structured, `{ name, note }`). */
const NARRATIVE_TEXT_FIELDS = NARRATIVE_PATCH_FIELDS.filter(
  (f): f is Exclude<(typeof NARRATIVE_PATCH_FIELDS)[number], 'relationships'> => f !== 'relationships',
);

/** Replace every whole-word occurrence of `from` (and its first word on its own) with `to` in a text. */
export function replaceName(text: string, from: string, to: string): string {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let out = text.replace(new RegExp(`\\b${esc(from)}\\b`, 'g'), to);
  const [fromFirst] = from.split(' ');
  const [toFirst] = to.split(' ');
  if (fromFirst && toFirst && fromFirst !== from && fromFirst.length > 2)
    out = out.replace(new RegExp(`\\b${esc(fromFirst)}\\b`, 'g'), toFirst);
  return out;
}

/** Rewrite every narrative text with the new name (the old full name and first name). */
export function renameNarrative(narrative: Partial<Narrative>, from: string, to: string): Partial<Narrative> {
  const out: Partial<Narrative> = {};
  for (const f of NARRATIVE_TEXT_FIELDS) {
    const v = narrative[f];
    if (typeof v === 'string') (out as Record<string, unknown>)[f] = replaceName(v, from, to);
    else if (Array.isArray(v))
      (out as Record<string, unknown>)[f] = v.map((x: string) => replaceName(x, from, to));
  }
  return out;
}

/** Free-form words for abilities in "more X, less Y" requests. */
const ABILITY_WORDS: readonly { words: RegExp; ability: Ability }[] = [
  {
    words: /^(stealth\w*|sneak\w*|agile|nimble|quick\w*|dext\w*|dodg\w*|acrobat\w*)$/,
    ability: 'dex',
  },
  { words: /^(tank\w*|tough\w*|sturd\w*|hard\w*|durable|resilient|con\w*)$/, ability: 'con' },
  { words: /^(strong\w*|strength|mighty|muscl\w*|brawn\w*|athletic)$/, ability: 'str' },
  { words: /^(smart\w*|clever\w*|intell\w*|brain\w*|learned|book\w*)$/, ability: 'int' },
  { words: /^(wise\w*|wisdom|perceptive|insight\w*|aware)$/, ability: 'wis' },
  {
    words: /^(charm\w*|charisma\w*|persuasive|likeable|social|talkative)$/,
    ability: 'cha',
  },
];

function abilityFor(word: string): (typeof ABILITY_WORDS)[number] | undefined {
  return ABILITY_WORDS.find((a) => a.words.test(word.toLowerCase()));
}

const AGE_WORDS = /\b(young|youthful|grey-haired|gray-haired|white-haired|old|elderly|aged)\b,?\s*/gi;

function reage(appearance: string, older: boolean): string {
  const bare = appearance.replace(AGE_WORDS, '').replace(/^\s*,\s*/, '');
  const lead = older ? 'Grey-haired and lined with age' : 'Young and fresh-faced';
  return `${lead}; ${bare.charAt(0).toLowerCase()}${bare.slice(1)}`;
}

function refine(request: ProceduralRequest, content: Content): RefinePatch {
  const text = userText(request);
  const feedback = fencedText(text, 'feedback');
  if (feedback === undefined) fail('character.refine: the prompt has no feedback');
  const current = currentCharacter(text);
  let build: Build = current.build;
  let equipment = [...build.equipment];
  let spells = build.spells?.map((s) => ({ ...s, prepared: [...s.prepared] }));
  let name: string | undefined;
  let scores: Build['abilityScores'] | undefined;
  let skills: Build['skills'] | undefined;
  let narrative: Partial<Narrative> = { ...(current.narrative ?? {}) };
  const narrativeChanged = new Set<(typeof NARRATIVE_TEXT_FIELDS)[number]>();
  const changes: RefinePatch['changes'] = [];
  const understood: string[] = [];
  const notUnderstood: string[] = [];
  const note = (field: RefinePatch['changes'][number]['field'], explanation: string) => {
    if (!changes.some((c) => c.field === field)) changes.push({ field, explanation });
  };
  const weaponOf = (id: string) => {
    const item = content.items.get(id);
    return item?.kind === 'weapon' ? item : undefined;
  };
  /** Remove; returns whether the removed item was equipped (or undefined when nothing was removed). */
  const remove = (what: string): boolean | undefined => {
    const thing = srdThing(what, content);
    const entry = thing?.kind === 'item' ? equipment.find((e) => e.item === thing.id) : undefined;
    if (thing?.kind === 'item' && entry) {
      equipment = equipment.filter((e) => e.item !== thing.id);
      note('build.equipment', `Removed ${thing.id} as asked.`);
      return entry.equipped === true;
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
      return false;
    }
    return undefined;
  };
  /** Add an item or spell; a new weapon is wielded (a two-handed one puts the shield away). */
  const add = (what: string, wield = true): boolean => {
    const thing = srdThing(what, content);
    if (thing?.kind === 'item') {
      const weapon = weaponOf(thing.id);
      if (!equipment.some((e) => e.item === thing.id)) equipment.push({ item: thing.id });
      if (weapon && wield) {
        equipment = equipment.map((e) => {
          if (e.item === thing.id) return { ...e, equipped: true };
          const other = content.items.get(e.item);
          if (
            weapon.properties.includes('two-handed') &&
            other?.kind === 'armor' &&
            other.armorType === 'shield'
          )
            return { item: e.item, ...(e.quantity === undefined ? {} : { quantity: e.quantity }) };
          return e;
        });
        note('build.equipment', `Added and equipped ${thing.id} as asked.`);
      } else note('build.equipment', `Added ${thing.id} as asked.`);
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
  /** Move two points from one ability to another (scores stay within 3–20). */
  const shift = (more: string | undefined, less: string | undefined): boolean => {
    const up = more ? abilityFor(more) : undefined;
    const down = less ? abilityFor(less) : undefined;
    if (!up && !down) return false;
    const s = { ...(scores ?? build.abilityScores) };
    const target = up?.ability;
    const source =
      down?.ability ??
      (ABILITIES.filter((a) => a !== target).sort((a, b) => s[b] - s[a])[ABILITIES.length - 2] as Ability);
    const giver = source === target ? undefined : source;
    if (target && giver) {
      const amount = Math.min(2, 20 - s[target], s[giver] - 3);
      if (amount <= 0) return false;
      s[target] += amount;
      s[giver] -= amount;
    } else if (target && !giver) return false;
    else if (!target && down) {
      // Only "less X": give the points to the highest-priority other score below 20.
      const receiver = ABILITIES.filter((a) => a !== down.ability && s[a] < 20).sort(
        (a, b) => s[b] - s[a],
      )[0];
      const amount = receiver ? Math.min(2, 20 - s[receiver], s[down.ability] - 3) : 0;
      if (!receiver || amount <= 0) return false;
      s[receiver] += amount;
      s[down.ability] -= amount;
    }
    scores = s;
    const parts = [up ? `more ${up.ability}` : '', down ? `less ${down.ability}` : '']
      .filter(Boolean)
      .join(', ');
    note('build.abilityScores', `Moved ability points (${parts}) as asked.`);
    return true;
  };
  /** Class or species change: rebuild the mechanics from what is asked plus what is kept. */
  const rebuild = (wish: string): boolean => {
    const reading = readConcept(wish);
    const classLead = Object.entries(reading.classes).sort((a, b) => b[1] - a[1])[0];
    const speciesLead = Object.entries(reading.species).sort((a, b) => b[1] - a[1])[0];
    const wantsClass = classLead !== undefined && classLead[1] >= 3 && content.classes.has(classLead[0]);
    const wantsSpecies =
      speciesLead !== undefined && speciesLead[1] >= 4 && content.species.has(speciesLead[0]);
    if (!wantsClass && !wantsSpecies) return false;
    const level = build.classes.reduce((n, c) => n + c.level, 0);
    const cls = wantsClass ? (classLead?.[0] ?? '') : (build.classes[0]?.class ?? '');
    const sp = wantsSpecies ? (speciesLead?.[0] ?? '') : build.species;
    const speciesName = content.species.get(sp)?.name ?? sp;
    const className = content.classes.get(cls)?.name ?? cls;
    const fresh = generateOffline(
      { concept: `${speciesName} ${className} ${wish}`, kind: 'pc', level, seed: request.seed ?? 0 },
      content,
    ).build;
    if (!fresh) return false;
    build = { ...fresh, name: build.name };
    equipment = [...fresh.equipment];
    spells = fresh.spells?.map((x) => ({ ...x, prepared: [...x.prepared] }));
    scores = fresh.abilityScores;
    skills = fresh.skills;
    const what = [wantsClass ? className : '', wantsSpecies ? speciesName : ''].filter(Boolean).join(' ');
    for (const f of [
      'build.classes',
      'build.species',
      'build.lineage',
      'build.size',
      'build.background',
      'build.abilityScores',
      'build.skills',
      'build.expertise',
      'build.feats',
      'build.equipment',
      'build.spells',
    ] as const)
      note(f, `Rebuilt as ${withArticle(what.toLowerCase())} as asked; the name and story stay.`);
    return true;
  };
  const sentences = feedback
    .split(
      /[.;\n]+|,\s*(?=(?:and\s+)?(?:add|remove|drop|swap|replace|rename|make|more|less|give|call)\b)|\s+and\s+(?=(?:add|remove|drop|swap|replace|rename|make|give)\b)/i,
    )
    .map((x) => x.trim())
    .filter(Boolean);
  for (const sentence of sentences) {
    let m =
      /^(?:rename (?:(?:him|her|them|it) )?to|call (?:him|her|them|it)|name (?:him|her|them|it))\s+(.+)$/i.exec(
        sentence,
      );
    if (m?.[1]) {
      name = m[1].trim();
      note('build.name', `Renamed to ${name} as asked.`);
      understood.push(`rename to ${name}`);
      continue;
    }
    m =
      /^(?:replace|swap)\s+(?:(?:his|her|their|the|a|an)\s+)?(.+?)\s+(?:with|for)\s+(?:a\s+|an\s+|the\s+)?(.+)$/i.exec(
        sentence,
      );
    if (m?.[1] && m[2]) {
      const wasEquipped = remove(m[1]);
      if (wasEquipped !== undefined && add(m[2], true)) {
        understood.push(`swap ${m[1]} for ${m[2]}`);
        continue;
      }
    }
    m = /^(?:add|give (?:him|her|them|it))\s+(?:a\s+|an\s+|the\s+)?(.+)$/i.exec(sentence);
    if (m?.[1] && add(m[1])) {
      understood.push(`add ${m[1]}`);
      continue;
    }
    m = /^(?:remove|drop)\s+(?:(?:his|her|their|the|a|an)\s+)?(.+)$/i.exec(sentence);
    if (m?.[1] && remove(m[1]) !== undefined) {
      understood.push(`remove ${m[1]}`);
      continue;
    }
    m = /^(?:make (?:him|her|them|it)\s+)?(older|younger)\b/i.exec(sentence);
    if (m?.[1]) {
      const older = m[1].toLowerCase() === 'older';
      const appearance = narrative.appearance ?? '';
      if (appearance) {
        narrative = { ...narrative, appearance: reage(appearance, older) };
        narrativeChanged.add('appearance');
      }
      const backstory = narrative.backstory ?? '';
      narrative = {
        ...narrative,
        backstory: `${backstory}${backstory ? ' ' : ''}${older ? 'Many years have passed since then, and they show.' : 'All of this happened only recently; there is much still ahead.'}`,
      };
      narrativeChanged.add('backstory');
      understood.push(m[1].toLowerCase());
      continue;
    }
    m = /^(?:make (?:him|her|them|it)\s+)?more\s+([a-z-]+)(?:\s*(?:,|and|but)?\s*less\s+([a-z-]+))?$/i.exec(
      sentence,
    );
    const lessOnly = /^(?:make (?:him|her|them|it)\s+)?less\s+([a-z-]+)$/i.exec(sentence);
    if ((m && shift(m[1], m[2])) || (lessOnly && shift(undefined, lessOnly[1]))) {
      understood.push(sentence.toLowerCase());
      continue;
    }
    m =
      /^(?:make (?:him|her|them|it)|turn (?:him|her|them|it) into|change (?:him|her|them|it) (?:in)?to)\s+(?:a\s+|an\s+)?(.+)$/i.exec(
        sentence,
      );
    if (m?.[1] && rebuild(m[1])) {
      understood.push(`make ${m[1]}`);
      continue;
    }
    notUnderstood.push(sentence);
  }
  if (name !== undefined && build.name !== name) {
    const renamed = renameNarrative(narrative, build.name, name);
    for (const f of NARRATIVE_TEXT_FIELDS)
      if (JSON.stringify(renamed[f]) !== JSON.stringify(current.narrative?.[f])) narrativeChanged.add(f);
    narrative = { ...narrative, ...renamed };
  }
  for (const f of narrativeChanged)
    note(
      `narrative.${f}`,
      name !== undefined ? `Carried the new name ${name} into the ${f}.` : `Rewrote the ${f} as asked.`,
    );
  if (changes.length === 0) {
    fail(
      `character.refine: the offline generator did not understand ${notUnderstood.map((x) => `"${x}"`).join(', ') || 'the feedback'}; offline it understands only "rename to NAME", "add/remove ITEM or SPELL", "swap A for B", "older"/"younger", "more X, less Y" (stealthy, tanky, strong, smart, wise, charming), and "make them a CLASS/SPECIES"; use a model for other requests`,
    );
  }
  if (notUnderstood.length > 0 && changes[0])
    changes[0] = {
      ...changes[0],
      explanation: `${changes[0].explanation} Understood: ${understood.join('; ')}. Not understood offline: ${notUnderstood.map((x) => `"${x}"`).join(', ')}.`,
    };
  const narrativePatch: Partial<Narrative> = {};
  for (const f of narrativeChanged) (narrativePatch as Record<string, unknown>)[f] = narrative[f];
  return {
    changes,
    build: {
      ...(name === undefined ? {} : { name }),
      ...(build !== current.build
        ? {
            species: build.species,
            ...(build.lineage === undefined ? {} : { lineage: build.lineage }),
            ...(build.size === undefined ? {} : { size: build.size }),
            background: build.background,
            classes: build.classes,
            feats: build.feats,
            expertise: build.expertise,
          }
        : {}),
      equipment,
      ...(spells === undefined ? {} : { spells }),
      ...(scores === undefined ? {} : { abilityScores: scores }),
      ...(skills === undefined ? {} : { skills }),
    },
    ...(narrativeChanged.size > 0 ? { narrative: narrativePatch } : {}),
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

/** Which pronouns an existing story uses (most frequent of he / she / they in its backstory and appearance). */
export function pronounOf(narrative: Partial<Narrative> | undefined): Pronoun {
  const text = ` ${`${narrative?.backstory ?? ''} ${narrative?.appearance ?? ''}`.toLowerCase()} `;
  const count = (ws: readonly string[]) =>
    ws.reduce((n, w) => n + (text.match(new RegExp(`[^a-z]${w}[^a-z]`, 'g'))?.length ?? 0), 0);
  const he = count(['he', 'him', 'his']);
  const she = count(['she', 'her', 'hers']);
  const they = count(['they', 'them', 'their']);
  return he > she && he > they ? 'he' : she > he && she > they ? 'she' : 'they';
}

/**
 * A theme with no table is composed from its own words ("steampunk" → "a steampunk city", "the steampunk
 * arts"), never appended to old text; names come from the fantasy tables.
 */
export function composeTheme(themeText: string): Theme {
  const fantasy = THEMES.find((t) => t.id === 'fantasy') ?? (THEMES[0] as Theme);
  const words = contentTokens(themeText).filter((w) => w.length > 2);
  const w = words.join(' ') || themeText.trim().toLowerCase();
  const head = words[0] ?? w;
  return {
    ...fantasy,
    id: `composed:${w}`,
    keywords: words,
    places: [`a ${w} city`, `the ${w} frontier`, `a ${w} outpost`, `the heart of the ${w} world`],
    adjectives: [`${head}-touched`, `${head}-styled`, `${head}-worn`],
    magicWord: `the ${w} arts`,
  };
}

function retheme(request: ProceduralRequest, content: Content): Retheme {
  const text = userText(request);
  const themeText = fencedText(text, 'theme');
  if (themeText === undefined) fail('character.retheme: the prompt has no theme');
  const { build, narrative: oldNarrative } = currentCharacter(text);
  const table = matchTheme(themeText);
  const theme = table ?? composeTheme(themeText);
  const key = `${build.name}|${themeText}|${request.seed ?? 0}`;
  const rng = createRng(key, request.seed ?? 0, 'retheme');
  const adjective = pickBy(theme.adjectives, `${key}|adj`) ?? themeText;
  const place = pickBy(theme.places, `${key}|place`) ?? `a ${themeText} world`;
  const pronoun = pronounOf(oldNarrative);
  const species = content.species.get(build.species);
  const classes = build.classes.flatMap((c) => content.classes.get(c.class) ?? []);
  const lineage = species?.lineages.find((l) => l.id === build.lineage);
  // A new name that fits the theme (or the species), used in every text of the new story.
  const name = makeName(rng, { species: build.species, pronoun, theme });
  const family = (n: string) => n.split(' ').slice(1).join(' ');
  const mentor = makeName(rng, {
    species: build.species,
    pronoun: rng() < 0.5 ? 'he' : 'she',
    theme,
    avoidFamily: [family(name)],
  });
  const rival = makeName(rng, {
    species: build.species,
    pronoun: rng() < 0.5 ? 'he' : 'she',
    theme,
    avoidFamily: [family(name), family(mentor)],
  });
  const base = readConcept(themeText);
  const reading = {
    ...base,
    pronoun,
    pronounStated: true,
    elements: { ...base.elements, role: '', places: [place] },
  };
  const className = classes.map((c) => c.name.toLowerCase()).join(' and ') || 'adventurer';
  const composed = composeCharacterStory(rng, {
    kind: 'pc',
    name,
    reading,
    theme,
    classIds: classes.map((c) => c.id),
    className,
    speciesId: build.species,
    speciesName: species?.name ?? build.species,
    ...(lineage ? { lineageName: lineage.name } : {}),
    size: build.size ?? species?.sizes[0] ?? 'medium',
    caster: (build.spells ?? []).length > 0,
    place,
    tradition: `the ${adjective} ${classes[0]?.name.toLowerCase() ?? 'adventurer'}s of ${place}`,
    mentor,
    rival,
    flavour: adjective,
  });
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
  return { name, narrative: composed, lore };
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
