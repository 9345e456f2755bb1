/** Item ids; armor worn without proficiency (warning); more than one armor or shield worn (warning). */
import type { CharacterContext } from './context';
import { pointer, type IssueList } from './issues';
import { armorProficiencies } from './proficiencies';

export function validateEquipment(ctx: CharacterContext, issues: IssueList): void {
  ctx.build.equipment.forEach((entry, i) => {
    if (!ctx.content.items.has(entry.item)) {
      issues.error(
        'unknown-item',
        pointer('equipment', i, 'item'),
        `item "${entry.item}" is not a known item id`,
      );
    }
  });
  const proficient = armorProficiencies(ctx);
  const worn = ctx.items.filter((ri) => ri.armor && ri.entry.equipped === true);
  for (const ri of worn) {
    const type = ri.armor?.armorType;
    if (type && !proficient.has(type)) {
      issues.warning(
        'armor-not-proficient',
        pointer('equipment', ri.index),
        `${ri.item.id} is ${type} armor without ${type} armor proficiency`,
      );
    }
  }
  const body = worn.filter((ri) => ri.armor?.armorType !== 'shield');
  if (body.length > 1)
    issues.warning(
      'several-armors',
      pointer('equipment'),
      `${body.length} armors are equipped; only the best counts for AC`,
    );
  if (worn.length - body.length > 1)
    issues.warning(
      'several-shields',
      pointer('equipment'),
      'more than one shield is equipped; only one counts',
    );
}
