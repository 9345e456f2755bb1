/**
 * Resolve free-text names (as an LLM writes them) to content ids: exact id, then case/punctuation-insensitive
 * name, then a small alias table (re-skins such as "lightsaber" → longsword), then fuzzy matching (edit
 * distance and token overlap). Every result is tagged `srd`, `adapted` (with `basedOn`) or `custom`.
 */
import type { Build, Content } from '@loreforge/rules-5e';
import type { DraftChoices, DraftElement, ElementKind, ElementTag } from './draft-schema';
import { contentTokens, editSimilarity, normalizeName, toId, tokenOverlap } from './text';

export type ResolveKind = ElementKind | 'lineage' | 'creature';

export interface Resolution {
  /** The content id to use in a build: the SRD id for `srd` and `adapted`, a new slug for `custom`. */
  readonly id: string;
  readonly tag: ElementTag;
  /** 0–1: how sure the match is (1 = exact). For `custom`, the best fuzzy score that was rejected. */
  readonly score: number;
  /** For `adapted`: the SRD id the element's mechanics come from. */
  readonly basedOn?: string;
}

export interface ResolveOptions {
  /** Only consider these ids (e.g. the lineages of the chosen species, the subclasses of a class). */
  readonly within?: readonly string[];
}

/** Edit-similarity at or above this is a misspelling of an SRD name (tag `srd`). */
export const TYPO_THRESHOLD = 0.85;
/** A combined similarity at or above this is a variant of an SRD element (tag `adapted`). */
export const ADAPT_THRESHOLD = 0.7;

/** Small alias table: normalised alias → SRD id. Matches are tagged `adapted`. */
export const ALIASES: Readonly<Partial<Record<ResolveKind, Readonly<Record<string, string>>>>> = {
  item: {
    lightsaber: 'longsword',
    'light saber': 'longsword',
    'laser sword': 'longsword',
    'energy sword': 'longsword',
    'energy blade': 'longsword',
    'plasma blade': 'longsword',
    'plasma sword': 'longsword',
    katana: 'longsword',
    sword: 'longsword',
    'bastard sword': 'longsword',
    wakizashi: 'shortsword',
    gladius: 'shortsword',
    tanto: 'dagger',
    knife: 'dagger',
    'combat knife': 'dagger',
    'mono blade': 'shortsword',
    machete: 'scimitar',
    cutlass: 'scimitar',
    sabre: 'scimitar',
    saber: 'scimitar',
    claymore: 'greatsword',
    zweihander: 'greatsword',
    'bo staff': 'quarterstaff',
    nunchaku: 'flail',
    naginata: 'glaive',
    axe: 'handaxe',
    'war axe': 'battleaxe',
    bow: 'shortbow',
    crossbow: 'light-crossbow',
    blaster: 'hand-crossbow',
    'blaster pistol': 'hand-crossbow',
    'laser pistol': 'hand-crossbow',
    'smart pistol': 'hand-crossbow',
    'blaster rifle': 'light-crossbow',
    'laser rifle': 'light-crossbow',
    rifle: 'musket',
    revolver: 'pistol',
    gun: 'pistol',
    'power armor': 'plate-armor',
    'powered armor': 'plate-armor',
    'combat armor': 'half-plate-armor',
    'kevlar vest': 'studded-leather-armor',
    'flak jacket': 'studded-leather-armor',
    'armored jacket': 'studded-leather-armor',
    'riot shield': 'shield',
    'energy shield': 'shield',
    medkit: 'healers-kit',
    'grappling gun': 'grappling-hook',
  },
  species: {
    hobbit: 'halfling',
    'half orc': 'orc',
    'half elf': 'elf',
    drow: 'elf',
    elven: 'elf',
    dwarven: 'dwarf',
    'dragon born': 'dragonborn',
    giantkin: 'goliath',
  },
  class: {
    mage: 'wizard',
    magician: 'wizard',
    priest: 'cleric',
    thief: 'rogue',
    knight: 'fighter',
    warrior: 'fighter',
    shaman: 'druid',
    witch: 'warlock',
    hunter: 'ranger',
    archer: 'ranger',
    berserker: 'barbarian',
    minstrel: 'bard',
    templar: 'paladin',
    'martial artist': 'monk',
  },
  subclass: {
    'school of evocation': 'evoker',
    'way of the open hand': 'warrior-of-the-open-hand',
    'the fiend': 'fiend-patron',
    'draconic bloodline': 'draconic-sorcery',
    berserker: 'path-of-the-berserker',
  },
  spell: {
    'force push': 'thunderwave',
    'force choke': 'hold-person',
    'mind trick': 'charm-person',
    'force lightning': 'lightning-bolt',
    'force shield': 'shield',
  },
};

interface Candidate {
  readonly id: string;
  readonly name: string;
}

function candidates(kind: ResolveKind, content: Content): Candidate[] {
  switch (kind) {
    case 'species':
      return [...content.species.values()];
    case 'lineage':
      return [...content.species.values()].flatMap((s) => s.lineages);
    case 'class':
      return [...content.classes.values()];
    case 'subclass':
      return [...content.subclasses.values()];
    case 'background':
      return [...content.backgrounds.values()];
    case 'feat':
      return [...content.feats.values()];
    case 'item':
      return [...content.items.values()];
    case 'spell':
      return [...content.spells.values()];
    case 'creature':
      return [...content.creatures.values()];
  }
}

/** All tokens of the SRD name appear in the query ("Elven Longbow" ⊇ "Longbow"). */
function contains(query: readonly string[], name: string): boolean {
  const words = contentTokens(name);
  return words.length > 0 && words.some((w) => w.length >= 3) && words.every((w) => query.includes(w));
}

/** Resolve one name of the given kind against the content. */
export function resolveToSrd(
  kind: ResolveKind,
  name: string,
  content: Content,
  options: ResolveOptions = {},
): Resolution {
  const raw = name.trim();
  if (raw === '') throw new Error(`resolveToSrd: ${kind} name must not be empty`);
  let pool = candidates(kind, content);
  if (options.within) {
    const allowed = new Set(options.within);
    pool = pool.filter((c) => allowed.has(c.id));
  }
  const exactId = pool.find((c) => c.id === raw);
  if (exactId) return { id: exactId.id, tag: 'srd', score: 1 };
  const norm = normalizeName(raw);
  const compact = norm.replace(/ /g, '');
  const byName = pool.find((c) => normalizeName(c.name) === norm || normalizeName(c.id) === norm);
  if (byName) return { id: byName.id, tag: 'srd', score: 1 };
  // Spacing and a generic trailing "armor" do not matter ("Firebolt", "Studded Leather").
  const squashed = pool.find((c) => {
    const n = normalizeName(c.name);
    return n.replace(/ /g, '') === compact || n.replace(/ armor$/, '').replace(/ /g, '') === compact;
  });
  if (squashed) return { id: squashed.id, tag: 'srd', score: 0.98 };

  // A re-skin that names its base in brackets: "Mono-Blade (Dagger)".
  const bracket = /\(([^)]+)\)\s*$/.exec(raw)?.[1];
  if (bracket !== undefined) {
    const inner = normalizeName(bracket);
    const base = pool.find((c) => c.id === bracket.trim() || normalizeName(c.name) === inner);
    if (base) return { id: base.id, tag: 'adapted', score: 0.85, basedOn: base.id };
  }
  const ids = new Set(pool.map((c) => c.id));
  const aliases = ALIASES[kind] ?? {};
  const direct = aliases[norm];
  if (direct !== undefined && ids.has(direct))
    return { id: direct, tag: 'adapted', score: 0.9, basedOn: direct };
  const padded = ` ${norm} `;
  const phrase = Object.keys(aliases)
    .filter((a) => padded.includes(` ${a} `) && ids.has(aliases[a] ?? ''))
    .sort((a, b) => b.length - a.length || a.localeCompare(b))[0];

  const query = contentTokens(raw);
  let best: { c: Candidate; edit: number; overlap: number; score: number } | undefined;
  for (const c of pool) {
    const edit = editSimilarity(raw, c.name);
    const overlap = tokenOverlap(raw, c.name);
    const score = Math.max(edit, overlap, contains(query, c.name) ? 0.75 : 0);
    // Ties go to the closer spelling ("Studded Leather" → the armor, not a magic variant), then the id.
    const better =
      !best ||
      score > best.score ||
      (score === best.score &&
        (edit > best.edit || (edit === best.edit && c.id.localeCompare(best.c.id) < 0)));
    if (better) best = { c, edit, overlap, score };
  }
  if (best && best.edit >= TYPO_THRESHOLD) return { id: best.c.id, tag: 'srd', score: best.edit };
  // Same words in another order ("+1 Longsword" = "Longsword +1").
  if (best && best.overlap === 1) return { id: best.c.id, tag: 'srd', score: 0.97 };
  if (phrase !== undefined) {
    const target = aliases[phrase] as string;
    return { id: target, tag: 'adapted', score: 0.8, basedOn: target };
  }
  if (best && best.score >= ADAPT_THRESHOLD)
    return { id: best.c.id, tag: 'adapted', score: best.score, basedOn: best.c.id };
  return { id: toId(raw) || 'custom', tag: 'custom', score: best?.score ?? 0 };
}

export interface DraftResolution extends Resolution {
  /** JSON pointer of the resolved value in the draft, e.g. `/build/spells/0/prepared/2`. */
  readonly path: string;
  readonly kind: ResolveKind;
  /** The name as written in the draft. */
  readonly name: string;
}

export interface ResolvedDraft {
  readonly draft: DraftChoices;
  readonly resolutions: readonly DraftResolution[];
}

/**
 * Map every name in an LLM-style draft (names, not ids) to content ids and tags. The build gets the ids (an
 * adapted element uses its SRD base; a custom one keeps a new slug for the balance check and custom content);
 * every element gets id/tag/basedOn, and elements missing for build entries are added.
 */
export function resolveDraft(choices: DraftChoices, content: Content): ResolvedDraft {
  const resolutions: DraftResolution[] = [];
  const byName = new Map<string, DraftResolution>();
  const resolve = (kind: ResolveKind, name: string, path: string, options?: ResolveOptions): string => {
    const r = resolveToSrd(kind, name, content, options);
    const entry: DraftResolution = { ...r, path, kind, name };
    resolutions.push(entry);
    byName.set(`${kind}:${normalizeName(name)}`, entry);
    return r.id;
  };
  let build: Build | undefined;
  if (choices.build) {
    const b = choices.build;
    const species = resolve('species', b.species, '/build/species');
    const lineages = content.species.get(species)?.lineages.map((l) => l.id);
    const classes = b.classes.map((c, i) => {
      const id = resolve('class', c.class, `/build/classes/${i}/class`);
      const cls = content.classes.get(id);
      const subclass =
        c.subclass === undefined
          ? undefined
          : resolve(
              'subclass',
              c.subclass,
              `/build/classes/${i}/subclass`,
              cls ? { within: cls.subclasses } : {},
            );
      return { ...c, class: id, ...(subclass === undefined ? {} : { subclass }) };
    });
    build = {
      ...b,
      species,
      ...(b.lineage === undefined
        ? {}
        : { lineage: resolve('lineage', b.lineage, '/build/lineage', lineages ? { within: lineages } : {}) }),
      background: resolve('background', b.background, '/build/background'),
      classes,
      feats: b.feats.map((f, i) => resolve('feat', f, `/build/feats/${i}`)),
      equipment: b.equipment.map((e, i) => ({
        ...e,
        item: resolve('item', e.item, `/build/equipment/${i}/item`),
      })),
      ...(b.spells === undefined
        ? {}
        : {
            spells: b.spells.map((s, i) => ({
              class: resolve('class', s.class, `/build/spells/${i}/class`),
              cantrips: s.cantrips.map((n, j) => resolve('spell', n, `/build/spells/${i}/cantrips/${j}`)),
              prepared: s.prepared.map((n, j) => resolve('spell', n, `/build/spells/${i}/prepared/${j}`)),
            })),
          }),
      ...(b.grantedSpells === undefined
        ? {}
        : {
            grantedSpells: b.grantedSpells.map((g, i) => {
              const at = `/build/grantedSpells/${i}`;
              const { kind, id } = g.source;
              // Feats and lineages are named things the model may misspell; a feature id is kept as written.
              const sourceId =
                kind === 'feat'
                  ? resolve('feat', id, `${at}/source/id`)
                  : kind === 'lineage'
                    ? resolve('lineage', id, `${at}/source/id`, lineages ? { within: lineages } : {})
                    : id;
              return {
                ...g,
                source: { kind, id: sourceId },
                ...(g.list === undefined ? {} : { list: resolve('class', g.list, `${at}/list`) }),
                cantrips: g.cantrips.map((n, j) => resolve('spell', n, `${at}/cantrips/${j}`)),
                spells: g.spells.map((n, j) => resolve('spell', n, `${at}/spells/${j}`)),
              };
            }),
          }),
    };
  }
  const elements: DraftElement[] = choices.elements.map((e, i) => {
    const known = byName.get(`${e.kind}:${normalizeName(e.name)}`);
    const r = known ?? resolveToSrd(e.kind, e.name, content);
    if (!known) resolutions.push({ ...r, path: `/elements/${i}`, kind: e.kind, name: e.name });
    return {
      kind: e.kind,
      name: e.name,
      id: r.id,
      tag: r.tag,
      ...(r.basedOn === undefined ? {} : { basedOn: r.basedOn }),
    };
  });
  const listed = new Set(elements.map((e) => `${e.kind}:${e.id ?? ''}`));
  for (const r of resolutions) {
    if (r.kind === 'lineage' || r.kind === 'creature') continue;
    const key = `${r.kind}:${r.id}`;
    if (listed.has(key)) continue;
    listed.add(key);
    elements.push({
      kind: r.kind,
      name: r.name,
      id: r.id,
      tag: r.tag,
      ...(r.basedOn === undefined ? {} : { basedOn: r.basedOn }),
    });
  }
  return { draft: { ...choices, ...(build ? { build } : {}), elements }, resolutions };
}
