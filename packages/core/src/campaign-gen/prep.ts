/**
 * Session prep and post-session adaptation (pure over the outline, the journals and the graph). Every prep item
 * carries its sources: entity ids, `chapter:<id>`, `scene:<id>`, `clue:<id>`, `encounter:<id>`, journal ids or
 * `srd:<item>`. Adaptation proposes changes (chapter played, branch taken, clues moved away from what the party
 * destroyed, nemesis changes), each with a reason and sources, for the DM to apply or reject one by one.
 */
import type { Content } from '@loreforge/rules-5e';
import { createRng } from '../generation/prng';
import { rateBothWays } from '../play/encounter';
import { evolveChanges, mentions, type JournalText } from './nemesis';
import type { CampaignGen, Chapter, Proposal } from './schema';

export interface PrepItem {
  text: string;
  sources: string[];
  id?: string;
}

export interface PrepSheet {
  session: number;
  chapter: { id: string; title: string; goal: string };
  strongStart: PrepItem;
  scenes: PrepItem[];
  secrets: PrepItem[];
  locations: PrepItem[];
  npcs: PrepItem[];
  encounters: (PrepItem & { id: string; difficulty: string; asked: string; xp: number })[];
  treasure: PrepItem[];
  /** Open quests of campaign memory, those the last session's journals speak of first. */
  quests: PrepItem[];
}

/** The chapter the party is in: follow played chapters from the start by the choice taken (else the first). */
export function currentChapter(gen: Pick<CampaignGen, 'start' | 'chapters'>): Chapter {
  const byId = new Map(gen.chapters.map((c) => [c.id, c]));
  let ch = byId.get(gen.start) ?? gen.chapters[0]!;
  const seen = new Set<string>();
  while (ch.status === 'played' && !ch.ending && !seen.has(ch.id)) {
    seen.add(ch.id);
    const choice = ch.choices[ch.taken ?? 0];
    const next = choice ? byId.get(choice.next) : undefined;
    if (!next) break;
    ch = next;
  }
  return ch;
}

const DEFEAT = /\b(kill(?:ed|s)?|slain|slew|murder(?:ed)?|destroy(?:ed|s)?|burn(?:ed|t) down|died|dead)\b/i;

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/).filter(Boolean);
}

export function buildPrep(
  gen: CampaignGen,
  ctx: {
    session: number;
    party: { id: string; name: string; level: number }[];
    lastJournals: JournalText[];
    central: string[];
    content: Content;
    quests?: { id: string; name: string }[];
  },
): PrepSheet {
  const ch = currentChapter(gen);
  const byEntity = new Map(gen.entities.map((e) => [e.id, e]));
  const nextIds = ch.choices.map((c) => c.next);
  const upcoming = [ch.id, ...nextIds];
  const mentionedIn = (name: string): string[] =>
    ctx.lastJournals.filter((j) => sentences(j.text).some((s) => mentions(s, name))).map((j) => j.id);

  const lastLine = ctx.lastJournals.length
    ? sentences(ctx.lastJournals[ctx.lastJournals.length - 1]!.text).slice(-1)[0]
    : undefined;
  const first = ch.scenes[0]!;
  const strongStart: PrepItem = {
    text: lastLine
      ? `Pick up where it stopped ("${lastLine.trim()}") and open in action: ${first.text}`
      : `Open in action: ${first.text}`,
    sources: [
      `chapter:${ch.id}`,
      `scene:${first.id}`,
      ...(ctx.lastJournals.length ? [ctx.lastJournals[ctx.lastJournals.length - 1]!.id] : []),
    ],
  };
  const scenes = ch.scenes.map((s) => ({
    text: `${s.title}: ${s.text}`,
    sources: [`scene:${s.id}`, ...s.entities],
  }));

  // Ten secrets and clues: this chapter's conclusion first, then the next chapters', then the nemesis.
  const secrets: PrepItem[] = [];
  const order = [...upcoming, ...gen.chapters.map((c) => c.id).filter((id) => !upcoming.includes(id))];
  for (const cid of order) {
    for (const k of gen.conclusions.filter((x) => x.chapter === cid)) {
      for (const clue of k.clues) {
        if (secrets.length >= 10) break;
        secrets.push({
          text: `${clue.text} (points to: ${k.text})`,
          sources: [`clue:${clue.id}`, clue.where.id],
        });
      }
    }
  }
  for (const t of gen.nemesis.tactics) {
    if (secrets.length >= 10) break;
    secrets.push({ text: `${gen.nemesis.name}: ${t}`, sources: [gen.nemesis.id] });
  }
  for (const t of gen.nemesis.tiers) {
    if (secrets.length >= 10) break;
    secrets.push({ text: `${t.name} (${t.tier}) ${t.role}`, sources: [t.id] });
  }

  // Locations and NPCs: in the chapter's scenes, mentioned last session, then central in the graph.
  const scored = new Map<string, { score: number; sources: Set<string> }>();
  const bump = (id: string, by: number, source: string): void => {
    if (!byEntity.has(id)) return;
    const s = scored.get(id) ?? { score: 0, sources: new Set([id]) };
    s.score += by;
    s.sources.add(source);
    scored.set(id, s);
  };
  for (const s of ch.scenes) for (const e of s.entities) bump(e, 3, `scene:${s.id}`);
  for (const e of gen.entities) for (const j of mentionedIn(e.name)) bump(e.id, 2, j);
  ctx.central.forEach((id, i) => bump(id, Math.max(0.1, 1 - i / 10), 'graph:central'));
  const ranked = [...scored.entries()].sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0]));
  const item = (id: string, s: { sources: Set<string> }): PrepItem => {
    const e = byEntity.get(id)!;
    return { id, text: `${e.name} (${e.role})`, sources: [...s.sources] };
  };
  const locations = ranked
    .filter(([id]) => byEntity.get(id)?.kind === 'location')
    .slice(0, 5)
    .map(([id, s]) => item(id, s));
  const npcs = ranked
    .filter(([id]) => byEntity.get(id)?.kind === 'npc')
    .slice(0, 6)
    .map(([id, s]) => item(id, s));

  const levels = ctx.party.map((p) => p.level);
  const encounters = ch.encounters.map((e) => {
    const crs = e.creatures.flatMap((c) => Array<number>(c.count).fill(c.cr));
    const r = rateBothWays(levels, crs).r2024;
    return {
      id: e.id,
      text: `${e.name}: ${e.creatures.map((c) => `${c.count}× ${c.name} (CR ${c.cr})`).join(', ')}`,
      difficulty: r.difficulty,
      asked: e.difficulty,
      xp: r.xp,
      sources: [`encounter:${e.id}`, `chapter:${ch.id}`, ...e.creatures.map((c) => `srd:${c.srd}`)],
    };
  });

  const avg = levels.reduce((a, b) => a + b, 0) / Math.max(1, levels.length);
  const rarities =
    avg <= 4 ? ['common', 'uncommon'] : avg <= 10 ? ['uncommon', 'rare'] : ['rare', 'very-rare'];
  const pool = [...ctx.content.items.values()]
    .filter((i) => i.kind === 'magic-item' && rarities.includes((i as { rarity: string }).rarity))
    .sort((a, b) => a.id.localeCompare(b.id));
  const rng = createRng(gen.pitch, gen.seed + ctx.session, `treasure|${ch.id}`);
  const treasure: PrepItem[] = [];
  const taken = new Set<string>();
  for (let i = 0; i < 3 && pool.length > taken.size; i++) {
    let it = pool[Math.floor(rng() * pool.length)]!;
    while (taken.has(it.id)) it = pool[Math.floor(rng() * pool.length)]!;
    taken.add(it.id);
    const where = ch.scenes[i % ch.scenes.length]!;
    treasure.push({
      text: `${it.name} (${(it as { rarity: string }).rarity}), found in "${where.title}"`,
      sources: [`srd:${it.id}`, `scene:${where.id}`],
    });
  }
  const gold = Math.round(avg * 50 * ctx.party.length);
  treasure.push({
    text: `${gold} gp in coin and trade goods`,
    sources: [`chapter:${ch.id}`, `encounter:${ch.encounters[0]?.id ?? ch.id}`],
  });

  const quests = (ctx.quests ?? [])
    .map((q) => ({ q, hits: mentionedIn(q.name) }))
    .sort((a, b) => b.hits.length - a.hits.length || a.q.name.localeCompare(b.q.name))
    .map(({ q, hits }) => ({ id: q.id, text: q.name, sources: [q.id, ...hits] }));

  return {
    quests,
    session: ctx.session,
    chapter: { id: ch.id, title: ch.title, goal: ch.goal },
    strongStart,
    scenes,
    secrets,
    locations,
    npcs,
    encounters,
    treasure,
  };
}

export function prepMarkdown(p: PrepSheet): string {
  const src = (i: PrepItem): string => ` _(${i.sources.join(', ')})_`;
  const list = (items: PrepItem[]): string => items.map((i) => `- ${i.text}${src(i)}`).join('\n') || '- none';
  return [
    `# Session ${p.session} prep — ${p.chapter.title}`,
    '',
    `Goal: ${p.chapter.goal}`,
    '',
    '## Strong start',
    `${p.strongStart.text}${src(p.strongStart)}`,
    '',
    '## Scenes',
    list(p.scenes),
    '',
    '## Secrets and clues',
    p.secrets.map((i, n) => `${n + 1}. ${i.text}${src(i)}`).join('\n'),
    '',
    '## Locations',
    list(p.locations),
    '',
    '## NPCs',
    list(p.npcs),
    '',
    '## Encounters',
    p.encounters
      .map((e) => `- ${e.text} — **${e.difficulty}** (asked ${e.asked}, ${e.xp} XP)${src(e)}`)
      .join('\n') || '- none',
    '',
    '## Treasure',
    list(p.treasure),
    '',
    '## Open quests',
    list(p.quests),
    '',
  ].join('\n');
}

/** Proposals after a session (ids `s<session>-p<n>`). */
export function adaptProposals(gen: CampaignGen, session: number, journals: JournalText[]): Proposal[] {
  const out: Proposal[] = [];
  const add = (p: Omit<Proposal, 'id' | 'status'>): void => {
    out.push({ ...p, id: `s${session}-p${out.length + 1}`, status: 'proposed' });
  };
  const ch = currentChapter(gen);
  const ci = gen.chapters.indexOf(ch);
  const byEntity = new Map(gen.entities.map((e) => [e.id, e]));
  const hitsFor = (names: string[]): string[] =>
    journals.filter((j) => sentences(j.text).some((s) => names.some((n) => mentions(s, n)))).map((j) => j.id);
  const chNames = [...new Set(ch.scenes.flatMap((s) => s.entities))]
    .map((id) => byEntity.get(id)?.name)
    .filter((n): n is string => !!n);
  const evidence = hitsFor(chNames);
  add({
    kind: 'mark-played',
    change: { path: `/chapters/${ci}/status`, from: 'planned', to: 'played' },
    reason: evidence.length
      ? `session ${session} journals speak of ${ch.title} (${chNames.filter((n) => hitsFor([n]).length).join(', ')})`
      : `session ${session} was played in ${ch.title}, the current chapter`,
    sources: evidence.length ? evidence : journals.map((j) => j.id),
  });
  // The branch taken: the choice whose next chapter's places and people the journals mention most.
  if (!ch.ending) {
    let best = -1;
    let bestHits: string[] = [];
    ch.choices.forEach((c, i) => {
      const next = gen.chapters.find((x) => x.id === c.next);
      if (!next) return;
      const names = [...new Set(next.scenes.flatMap((s) => s.entities))]
        .filter((id) => !ch.scenes.some((s) => s.entities.includes(id)))
        .map((id) => byEntity.get(id)?.name)
        .filter((n): n is string => !!n);
      const words = c.text.toLowerCase().match(/\b(force|stealth|parley|cunning|shortcut)\b/g) ?? [];
      const hits = [
        ...new Set([
          ...hitsFor(names),
          ...journals.filter((j) => words.some((w) => j.text.toLowerCase().includes(w))).map((j) => j.id),
        ]),
      ];
      if (hits.length > bestHits.length) {
        best = i;
        bestHits = hits;
      }
    });
    if (best >= 0)
      add({
        kind: 'branch-taken',
        change: { path: `/chapters/${ci}/taken`, from: ch.taken ?? null, to: best },
        reason: `the journals point to "${ch.choices[best]!.text}" (${ch.choices[best]!.next})`,
        sources: bestHits,
      });
  }
  // Clues placed on an NPC or location the journals say was killed or destroyed move to a scene still ahead.
  gen.conclusions.forEach((k, ki) => {
    const target = gen.chapters.find((c) => c.id === k.chapter);
    if (!target || target.status === 'played') return;
    k.clues.forEach((clue, j) => {
      if (clue.where.kind === 'scene') return;
      const e = byEntity.get(clue.where.id);
      if (!e) return;
      const hits = journals.filter((jr) =>
        sentences(jr.text).some((s) => mentions(s, e.name) && DEFEAT.test(s)),
      );
      if (!hits.length) return;
      const scene = target.scenes.find((s) => !s.entities.includes(e.id)) ?? target.scenes[0]!;
      add({
        kind: 'move-clue',
        change: {
          path: `/conclusions/${ki}/clues/${j}/where`,
          from: clue.where,
          to: { kind: 'scene', id: scene.id },
        },
        reason: `${e.name} can no longer give the clue "${clue.text}" (the journals say so); it moves to "${scene.title}"`,
        sources: hits.map((h) => h.id),
      });
    });
  });
  for (const c of evolveChanges(gen.nemesis, journals))
    add({
      kind: 'nemesis',
      change: { path: c.path, from: c.from, to: c.to },
      reason: c.reason,
      sources: c.sources,
    });
  return out;
}
