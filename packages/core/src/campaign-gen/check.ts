/**
 * Story-graph checks (pure): every chapter and every ending reachable from the start, choices 2–5 on every
 * chapter that is not an ending and each leading to a chapter that exists, endings without choices, and the
 * three-clue rule (every conclusion has at least three clues, each placed in a scene of the outline or an NPC or
 * location of the campaign).
 */
import type { CampaignGen } from './schema';

export interface Problem {
  code:
    | 'no-start'
    | 'unreachable-chapter'
    | 'unreachable-ending'
    | 'no-ending'
    | 'choice-count'
    | 'dangling-choice'
    | 'ending-with-choices'
    | 'too-few-clues'
    | 'clue-misplaced'
    | 'conclusion-chapter';
  where: string;
  message: string;
}

export interface CheckResult {
  ok: boolean;
  problems: Problem[];
}

type Checked = Pick<CampaignGen, 'start' | 'chapters' | 'conclusions' | 'entities'>;

/** Chapters reachable from the start by following choices. */
export function reachable(gen: Pick<CampaignGen, 'start' | 'chapters'>): Set<string> {
  const byId = new Map(gen.chapters.map((c) => [c.id, c]));
  const seen = new Set<string>();
  const stack = byId.has(gen.start) ? [gen.start] : [];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const ch of byId.get(id)?.choices ?? []) if (byId.has(ch.next)) stack.push(ch.next);
  }
  return seen;
}

export function checkCampaign(gen: Checked): CheckResult {
  const problems: Problem[] = [];
  const byId = new Map(gen.chapters.map((c) => [c.id, c]));
  if (!byId.has(gen.start))
    problems.push({
      code: 'no-start',
      where: 'start',
      message: `start chapter "${gen.start}" does not exist`,
    });
  const seen = reachable(gen);
  for (const c of gen.chapters) {
    if (!seen.has(c.id))
      problems.push({
        code: c.ending ? 'unreachable-ending' : 'unreachable-chapter',
        where: `chapter:${c.id}`,
        message: `${c.ending ? 'ending' : 'chapter'} "${c.title}" (${c.id}) cannot be reached from ${gen.start}`,
      });
    if (c.ending) {
      if (c.choices.length)
        problems.push({
          code: 'ending-with-choices',
          where: `chapter:${c.id}`,
          message: `ending "${c.title}" has ${c.choices.length} choice(s); an ending has none`,
        });
      continue;
    }
    if (c.choices.length < 2 || c.choices.length > 5)
      problems.push({
        code: 'choice-count',
        where: `chapter:${c.id}`,
        message: `chapter "${c.title}" ends in ${c.choices.length} choice(s); it needs 2–5`,
      });
    c.choices.forEach((ch, i) => {
      if (!byId.has(ch.next))
        problems.push({
          code: 'dangling-choice',
          where: `chapter:${c.id}/choices/${i}`,
          message: `choice "${ch.text}" leads to "${ch.next}", which is not a chapter`,
        });
    });
  }
  if (!gen.chapters.some((c) => c.ending))
    problems.push({ code: 'no-ending', where: 'chapters', message: 'the outline has no ending' });

  const scenes = new Set(gen.chapters.flatMap((c) => c.scenes.map((s) => s.id)));
  const kinds = new Map(gen.entities.map((e) => [e.id, e.kind]));
  for (const k of gen.conclusions) {
    if (!byId.has(k.chapter))
      problems.push({
        code: 'conclusion-chapter',
        where: `conclusion:${k.id}`,
        message: `conclusion "${k.text}" belongs to "${k.chapter}", which is not a chapter`,
      });
    let placed = 0;
    for (const clue of k.clues) {
      const ok =
        clue.where.kind === 'scene'
          ? scenes.has(clue.where.id)
          : kinds.get(clue.where.id) === clue.where.kind;
      if (ok) placed++;
      else
        problems.push({
          code: 'clue-misplaced',
          where: `clue:${clue.id}`,
          message: `clue "${clue.text}" is placed at ${clue.where.kind} ${clue.where.id}, which is not in the campaign`,
        });
    }
    if (placed < 3)
      problems.push({
        code: 'too-few-clues',
        where: `conclusion:${k.id}`,
        message: `conclusion "${k.text}" has ${placed} placed clue(s); the three-clue rule needs at least 3`,
      });
  }
  return { ok: problems.length === 0, problems };
}
