/**
 * `repair(build, content)`: a legal build plus a change log. Steps run in dependency order (ids → classes and
 * level cap → scores → multiclass and subclasses → feats → equipment → skills → spells → granted spells) so that each step sees
 * the already repaired fields it depends on. Invariant (property-tested): `validate(repair(b).build).valid`.
 */
import type { Build } from '../build';
import type { Content } from '../content/index';
import { repairClasses, repairMulticlassAndSubclasses } from './repair-classes';
import { repairEquipment, repairFeats, repairScores, repairSkills } from './repair-choices';
import { repairGrantedSpells } from './repair-granted';
import { repairIdentity } from './repair-identity';
import { repairInvocations } from './invocations';
import { RepairLog } from './repair-log';
import { repairSpells } from './repair-spells';
import type { RepairResult } from './types';

export function repair(input: Build, content: Content): RepairResult {
  const log = new RepairLog();
  let b = repairIdentity(input, content, log);
  b = repairClasses(b, content, log);
  b = repairScores(b, log);
  b = repairMulticlassAndSubclasses(b, content, log);
  b = repairFeats(b, content, log);
  b = repairEquipment(b, content, log);
  b = repairSkills(b, content, log);
  b = repairSpells(b, content, log);
  b = repairGrantedSpells(b, content, log);
  b = repairInvocations(b, content, log);
  return { build: b, changes: log.changes };
}
