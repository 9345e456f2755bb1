/**
 * `validate(build, content)`: rule violations as errors, doubtful but legal choices as warnings. Warnings never
 * make a build invalid. Every message names the field (`path`, a JSON pointer) and the reason. Never throws.
 */
import type { Build } from '../build';
import type { Content } from '../content/index';
import { buildContext } from './context';
import { IssueList } from './issues';
import type { ValidationResult } from './types';
import { validateClasses } from './validate-classes';
import { validateEquipment } from './validate-equipment';
import { validateGrantedSpells } from './validate-granted';
import { validateFeats } from './validate-feats';
import { validateIdentity } from './validate-identity';
import { validateInvocations } from './invocations';
import { validateScores } from './validate-scores';
import { validateSkills } from './validate-skills';
import { validateSpells } from './validate-spells';

export function validate(build: Build, content: Content): ValidationResult {
  const ctx = buildContext(build, content);
  const issues = new IssueList();
  validateIdentity(ctx, issues);
  validateClasses(ctx, issues);
  validateScores(ctx, issues);
  validateFeats(ctx, issues);
  validateEquipment(ctx, issues);
  validateSkills(ctx, issues);
  validateSpells(ctx, issues);
  validateGrantedSpells(ctx, issues);
  validateInvocations(ctx, issues);
  return { valid: issues.items.every((i) => i.severity !== 'error'), issues: issues.items };
}
