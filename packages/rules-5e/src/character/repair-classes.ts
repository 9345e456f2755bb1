/** Repair class ids, duplicate classes, the level cap, multiclass prerequisites and subclasses. */
import type { Build, BuildClass } from '../build';
import type { Content } from '../content/index';
import { MAX_CHARACTER_LEVEL } from '../tables/advancement';
import { pointer } from './issues';
import { defaultId, resolveId, type RepairLog } from './repair-log';
import { describePrerequisite, meetsMulticlassPrerequisite } from './rules';

function repairClassIds(classes: BuildClass[], content: Content, log: RepairLog): BuildClass[] {
  const fallback = defaultId(content.classes, 'fighter');
  return classes.map((entry, i) => {
    const id = resolveId(log, pointer('classes', i, 'class'), entry.class, content.classes, 'class', {
      fallback,
    });
    return id ? { ...entry, class: id } : { ...entry };
  });
}

function mergeDuplicates(classes: BuildClass[], log: RepairLog): BuildClass[] {
  const out: BuildClass[] = [];
  classes.forEach((entry, i) => {
    const first = out.find((c) => c.class === entry.class);
    if (!first) return void out.push({ ...entry });
    log.change(
      pointer('classes', i),
      entry,
      null,
      `class "${entry.class}" listed again; its ${entry.level} levels were added to the first entry`,
    );
    first.level += entry.level;
    if (first.subclass === undefined && entry.subclass !== undefined) first.subclass = entry.subclass;
  });
  return out;
}

/** Keep levels in build order until the total reaches 20 (the same as cutting from the last class). */
function capLevels(classes: BuildClass[], log: RepairLog): BuildClass[] {
  let left = MAX_CHARACTER_LEVEL;
  const out: BuildClass[] = [];
  classes.forEach((entry, i) => {
    const to = Math.min(entry.level, left);
    left -= to;
    const reason = `total character level is capped at ${MAX_CHARACTER_LEVEL}`;
    if (to === 0) log.change(pointer('classes', i), entry, null, reason);
    else if (to !== entry.level) log.change(pointer('classes', i, 'level'), entry.level, to, reason);
    if (to > 0) out.push({ ...entry, level: to });
  });
  return out;
}

/** Classes whose multiclass prerequisite fails are folded into the starting class (levels kept). */
function repairMulticlass(b: Build, classes: BuildClass[], content: Content, log: RepairLog): BuildClass[] {
  const [first, ...rest] = classes;
  if (!first || rest.length === 0) return classes;
  const ok = (c: BuildClass): boolean => {
    const cls = content.classes.get(c.class);
    return !cls || meetsMulticlassPrerequisite(cls, b.abilityScores);
  };
  const firstOk = ok(first);
  const keep: BuildClass[] = [{ ...first }];
  rest.forEach((c, j) => {
    if (firstOk && ok(c)) return void keep.push(c);
    const failing = firstOk ? c.class : first.class;
    const cls = content.classes.get(failing);
    const need = cls ? describePrerequisite(cls) : 'its prerequisite';
    log.change(
      pointer('classes', j + 1),
      c,
      null,
      `multiclassing needs ${need} for ${failing}; ${c.level} ${c.class} levels moved to ${first.class}`,
    );
    (keep[0] as BuildClass).level += c.level;
  });
  return keep;
}

function repairSubclass(entry: BuildClass, i: number, content: Content, log: RepairLog): BuildClass {
  const cls = content.classes.get(entry.class);
  if (entry.subclass === undefined || !cls) return entry;
  const path = pointer('classes', i, 'subclass');
  const { subclass, ...rest } = entry;
  const matched = resolveId(log, path, subclass, content.subclasses, `subclass of ${cls.id}`, {
    allow: (id) => content.subclasses.get(id)?.class === cls.id,
  });
  if (!matched) {
    log.change(path, subclass, null, `subclass "${subclass}" is not a subclass of ${cls.id}; removed`);
    return rest;
  }
  if (entry.level < cls.subclassLevel) {
    log.change(
      path,
      matched,
      null,
      `subclass needs ${cls.id} level ${cls.subclassLevel} (has ${entry.level}); removed`,
    );
    return rest;
  }
  return { ...rest, subclass: matched };
}

export function repairClasses(b: Build, content: Content, log: RepairLog): Build {
  let classes = repairClassIds(b.classes, content, log);
  classes = mergeDuplicates(classes, log);
  classes = capLevels(classes, log);
  return { ...b, classes };
}

/** Run after scores are clamped: prerequisites depend on them. */
export function repairMulticlassAndSubclasses(b: Build, content: Content, log: RepairLog): Build {
  const classes = repairMulticlass(b, b.classes, content, log).map((c, i) =>
    repairSubclass(c, i, content, log),
  );
  return { ...b, classes };
}
