/** Repair ability scores, feats, equipment, skills and expertise. */
import type { Build } from '../build';
import type { Content } from '../content/index';
import { ABILITIES, type Skill } from '../content/types';
import { buildContext } from './context';
import { pointer } from './issues';
import { resolveId, type RepairLog } from './repair-log';
import { SCORE_MAX, SCORE_MIN, unmetFeatPrerequisite } from './rules';
import { describeSlots, expertiseAllowance, prioritised, skillSlots, unmatchedSkills } from './skill-sources';

export function repairScores(b: Build, log: RepairLog): Build {
  const abilityScores = { ...b.abilityScores };
  for (const a of ABILITIES) {
    const score = abilityScores[a];
    const to = Math.min(SCORE_MAX, Math.max(SCORE_MIN, score));
    if (to !== score)
      log.change(pointer('abilityScores', a), score, to, `${a} score must lie in ${SCORE_MIN}–${SCORE_MAX}`);
    abilityScores[a] = to;
  }
  return { ...b, abilityScores };
}

export function repairFeats(b: Build, content: Content, log: RepairLog): Build {
  const ctx = buildContext(b, content);
  const feats: string[] = [];
  b.feats.forEach((raw, i) => {
    const path = pointer('feats', i);
    const id = resolveId(log, path, raw, content.feats, 'feat');
    const feat = id === undefined ? undefined : content.feats.get(id);
    if (!feat) return log.change(path, raw, null, `unknown feat "${raw}" has no close match; removed`);
    if (feats.includes(feat.id) && !feat.repeatable)
      return log.change(path, feat.id, null, `feat "${feat.id}" is not repeatable; duplicate removed`);
    const unmet = unmetFeatPrerequisite(feat, ctx);
    if (unmet)
      return log.change(path, feat.id, null, `feat "${feat.id}" prerequisite not met (${unmet}); removed`);
    feats.push(feat.id);
  });
  return { ...b, feats };
}

export function repairEquipment(b: Build, content: Content, log: RepairLog): Build {
  const equipment = b.equipment.flatMap((entry, i) => {
    const path = pointer('equipment', i, 'item');
    const id = resolveId(log, path, entry.item, content.items, 'item');
    if (id === undefined) {
      log.change(
        pointer('equipment', i),
        entry,
        null,
        `unknown item "${entry.item}" has no close match; removed`,
      );
      return [];
    }
    return [{ ...entry, item: id }];
  });
  return { ...b, equipment };
}

function dedupe<T>(list: readonly T[], path: string, log: RepairLog): T[] {
  const out: T[] = [];
  list.forEach((x, i) => {
    if (out.includes(x))
      log.change(`${path}/${i}`, x, null, `"${String(x)}" listed twice; duplicate removed`);
    else out.push(x);
  });
  return out;
}

/** Keep every skill that can be given its own source, granted skills first, then the others in order. */
export function repairSkills(b: Build, content: Content, log: RepairLog): Build {
  const ctx = buildContext(b, content);
  const slots = skillSlots(ctx);
  const unique = dedupe(b.skills, pointer('skills'), log);
  const dropped = new Set(unmatchedSkills(prioritised(unique, slots), slots));
  for (const s of dropped) {
    const reason = `no source left to grant "${s}" (${describeSlots(slots)}); removed`;
    log.change(pointer('skills', b.skills.indexOf(s)), s, null, reason);
  }
  const skills = unique.filter((s) => !dropped.has(s));
  let expertise = dedupe(b.expertise, pointer('expertise'), log).filter((s: Skill) => {
    if (skills.includes(s)) return true;
    log.change(
      pointer('expertise', b.expertise.indexOf(s)),
      s,
      null,
      `expertise in "${s}" needs proficiency in it; removed`,
    );
    return false;
  });
  const granted = expertiseAllowance(ctx);
  if (expertise.length > granted) {
    for (const s of expertise.slice(granted)) {
      log.change(
        pointer('expertise', b.expertise.indexOf(s)),
        s,
        null,
        `features grant ${granted} expertise; removed`,
      );
    }
    expertise = expertise.slice(0, granted);
  }
  return { ...b, skills, expertise };
}
