/**
 * The human text of `character show` for a build: a readable sheet (identity, species, background, AC, HP,
 * speed, scores, saves, skills, attacks, spellcasting with the spell list, equipment, features, narrative), and
 * the explained numbers of `rules derive --explain`. Names come from the content when it knows the id.
 */
import {
  ABILITIES,
  SKILL_IDS,
  type Build,
  type Content,
  type DerivedCharacter,
  type Explained,
} from '@loreforge/rules-5e';
import type { CharacterDoc } from '../docs/character-doc';

const signed = (n: number) => (n >= 0 ? `+${n}` : `${n}`);

function nameOf(map: ReadonlyMap<string, { name: string }>, id: string): string {
  return map.get(id)?.name ?? id;
}

/** `18 = base 10 + dex 2 + shield 2` (a value with one part equal to itself prints just the value). */
export function explainLine(e: Explained, sign = false): string {
  const v = sign ? signed(e.value) : String(e.value);
  if (e.parts.length === 0) return v;
  if (e.parts.length === 1 && e.parts[0]?.value === e.value) return `${v} (${e.parts[0]?.source})`;
  return `${v} = ${e.parts.map((p, i) => `${i === 0 ? '' : p.value < 0 ? '- ' : '+ '}${p.source} ${i === 0 ? p.value : Math.abs(p.value)}`).join(' ')}`;
}

function wrapList(label: string, items: readonly string[]): string[] {
  return items.length ? [`${label}: ${items.join(', ')}`] : [];
}

/** The feature names a build holds at its levels: class and subclass features, species traits, feats. */
function features(build: Build, content: Content): string[] {
  const out: string[] = [];
  const species = content.species.get(build.species);
  for (const t of species?.traits ?? []) out.push(`${t.name} (${species?.name ?? build.species})`);
  if (build.lineage) {
    const l = species?.lineages.find((x) => x.id === build.lineage);
    out.push(`${l?.name ?? build.lineage} (lineage)`);
  }
  for (const entry of build.classes) {
    const cls = content.classes.get(entry.class);
    if (!cls) continue;
    for (const f of cls.features) if (f.level <= entry.level) out.push(`${f.name} (${cls.name} ${f.level})`);
    const sub = entry.subclass ? content.subclasses.get(entry.subclass) : undefined;
    for (const f of sub?.features ?? [])
      if (f.level <= entry.level) out.push(`${f.name} (${sub?.name} ${f.level})`);
  }
  for (const id of build.feats) out.push(`${nameOf(content.feats, id)} (feat)`);
  return [...new Set(out)];
}

function narrativeLines(n: CharacterDoc['narrative'] | undefined): string[] {
  if (!n) return [];
  const out: string[] = [];
  const text = (label: string, v: string | undefined) => {
    if (v && v.trim()) out.push(`${label}: ${v.trim()}`);
  };
  const list = (label: string, v: readonly string[] | undefined) => {
    if (v && v.length) out.push(`${label}: ${v.join('; ')}`);
  };
  text('Theme', n.theme);
  text('Appearance', n.appearance);
  text('Backstory', n.backstory);
  list('Personality', n.personalityTraits);
  list('Ideals', n.ideals);
  list('Bonds', n.bonds);
  list('Flaws', n.flaws);
  list('Fears', n.fears);
  list('Motivations', n.motivations);
  list('Secrets', n.secrets);
  for (const r of n.relationships ?? [])
    out.push(`Relationship: ${[r.with, r.relation, r.note].filter(Boolean).join(' — ')}`);
  for (const [k, v] of Object.entries(n.lore ?? {})) if (v.trim()) out.push(`Lore (${k}): ${v.trim()}`);
  return out;
}

/** The whole sheet, one section per block separated by blank lines. `derived` null: the numbers failed. */
export function sheetText(
  doc: CharacterDoc,
  build: Build,
  derived: DerivedCharacter | null,
  content: Content,
): string[] {
  const species = nameOf(content.species, build.species);
  const lineage = build.lineage
    ? (content.species.get(build.species)?.lineages.find((l) => l.id === build.lineage)?.name ??
      build.lineage)
    : null;
  const classes = build.classes
    .map((c) => {
      const sub = c.subclass ? ` (${nameOf(content.subclasses, c.subclass)})` : '';
      return `${nameOf(content.classes, c.class)} ${c.level}${sub}`;
    })
    .join(' / ');
  const lines: string[] = [];
  lines.push(
    `Species: ${species}${lineage ? ` (${lineage})` : ''}   Background: ${nameOf(content.backgrounds, build.background)}`,
  );
  lines.push(`Class: ${classes}   Ruleset: ${build.ruleset}`);
  if (!derived) {
    lines.push(`Scores: ${ABILITIES.map((a) => `${a.toUpperCase()} ${build.abilityScores[a]}`).join('  ')}`);
  } else {
    const d = derived;
    lines.push(
      `AC ${d.armorClass.value}   HP ${d.hitPoints.max.value}   Speed ${d.speed.value} ft   Initiative ${signed(d.initiative.value)}   Proficiency ${signed(d.proficiencyBonus.value)}   Level ${d.level.value}`,
    );
    lines.push('');
    lines.push(
      `Scores: ${ABILITIES.map((a) => `${a.toUpperCase()} ${d.abilityScores[a]} (${signed(d.abilityModifiers[a].value)})`).join('  ')}`,
    );
    lines.push(
      `Saves: ${ABILITIES.map((a) => `${a.toUpperCase()} ${signed(d.savingThrows[a].value)}${d.savingThrows[a].proficient ? '*' : ''}`).join('  ')}   (* proficient)`,
    );
    const skills = SKILL_IDS.filter((s) => d.skills[s].proficiency !== 'none').map(
      (s) =>
        `${s} ${signed(d.skills[s].value)}${d.skills[s].proficiency === 'expertise' ? ' (expertise)' : ''}`,
    );
    lines.push(`Skills: ${skills.length ? skills.join(', ') : 'none proficient'}`);
    lines.push(
      `Passive: Perception ${d.passive.perception.value}, Insight ${d.passive.insight.value}, Investigation ${d.passive.investigation.value}`,
    );
    if (d.attacks.length) {
      lines.push('');
      lines.push('Attacks:');
      for (const a of d.attacks) {
        const dmg = `${a.damage.dice}${a.damage.bonus.value ? signed(a.damage.bonus.value) : ''} ${a.damage.type}`;
        const range = a.range ? `, range ${a.range.normal}/${a.range.long} ft` : '';
        lines.push(`  ${a.name}: ${signed(a.toHit.value)} to hit, ${dmg}${range}`);
      }
    }
    const sc = d.spellcasting;
    if (sc.classes.length || sc.granted.length) {
      lines.push('');
      lines.push('Spellcasting:');
      for (const c of sc.classes) {
        lines.push(
          `  ${nameOf(content.classes, c.class)}: ${c.ability.toUpperCase()}, save DC ${c.saveDC.value}, attack ${signed(c.attackBonus.value)}`,
        );
      }
      const slots = sc.slots.map((n, i) => (n ? `${i + 1}:${n}` : '')).filter(Boolean);
      if (slots.length) lines.push(`  Slots: ${slots.join('  ')}`);
      if (sc.pactSlots) lines.push(`  Pact slots: ${sc.pactSlots.count} of level ${sc.pactSlots.level}`);
      for (const choice of build.spells ?? []) {
        const cantrips = choice.cantrips.map((id) => nameOf(content.spells, id));
        const prepared = choice.prepared.map((id) => nameOf(content.spells, id));
        lines.push(...wrapList(`  ${nameOf(content.classes, choice.class)} cantrips`, cantrips));
        lines.push(...wrapList(`  ${nameOf(content.classes, choice.class)} prepared`, prepared));
      }
      for (const g of sc.granted) {
        const from = g.source.kind === 'feat' ? nameOf(content.feats, g.source.id) : g.source.id;
        const spells = [...g.cantrips, ...g.spells].map((id) => nameOf(content.spells, id));
        lines.push(...wrapList(`  ${from} (${g.ability.toUpperCase()}, DC ${g.saveDC.value})`, spells));
      }
    }
  }
  lines.push('');
  const equipment = build.equipment.map(
    (e) =>
      `${nameOf(content.items, e.item)}${e.quantity && e.quantity > 1 ? ` ×${e.quantity}` : ''}${e.equipped ? ' (equipped)' : ''}`,
  );
  lines.push(`Equipment: ${equipment.length ? equipment.join(', ') : 'none'}`);
  const feats = features(build, content);
  lines.push(`Features: ${feats.length ? feats.join(', ') : 'none'}`);
  const narrative = narrativeLines(doc.narrative);
  if (narrative.length) {
    lines.push('');
    lines.push(...narrative);
  }
  return lines;
}

/** Every number of a derived build with its explanation, one per line (`rules derive --explain`). */
export function explainText(d: DerivedCharacter, content?: Content): string {
  const lines: string[] = [];
  const line = (label: string, e: Explained, sign = false) => lines.push(`${label}: ${explainLine(e, sign)}`);
  line('Level', d.level);
  line('Proficiency bonus', d.proficiencyBonus, true);
  for (const a of ABILITIES)
    line(`${a.toUpperCase()} modifier (score ${d.abilityScores[a]})`, d.abilityModifiers[a], true);
  for (const a of ABILITIES) line(`${a.toUpperCase()} save`, d.savingThrows[a], true);
  for (const s of SKILL_IDS) line(`Skill ${s}`, d.skills[s], true);
  line('Passive Perception', d.passive.perception);
  line('Passive Insight', d.passive.insight);
  line('Passive Investigation', d.passive.investigation);
  line('Initiative', d.initiative, true);
  line('Armor Class', d.armorClass);
  line('Hit points', d.hitPoints.max);
  lines.push(
    `Hit dice: ${
      Object.entries(d.hitDice)
        .map(([die, n]) => `${n}${die}`)
        .join(' + ') || 'none'
    }`,
  );
  line('Speed', d.speed);
  for (const a of d.attacks) {
    line(`${a.name} to hit`, a.toHit, true);
    line(`${a.name} damage bonus (${a.damage.dice} ${a.damage.type})`, a.damage.bonus, true);
  }
  for (const c of d.spellcasting.classes) {
    const n = content ? nameOf(content.classes, c.class) : c.class;
    line(`${n} spell save DC`, c.saveDC);
    line(`${n} spell attack`, c.attackBonus, true);
  }
  for (const g of d.spellcasting.granted) {
    line(`${g.source.id} spell save DC`, g.saveDC);
    line(`${g.source.id} spell attack`, g.attackBonus, true);
  }
  if (d.spellcasting.casterLevel) line('Caster level', d.spellcasting.casterLevel);
  const slots = d.spellcasting.slots.map((n, i) => (n ? `${i + 1}:${n}` : '')).filter(Boolean);
  lines.push(`Spell slots: ${slots.length ? slots.join('  ') : 'none'} (${d.spellcasting.slotTable} table)`);
  return lines.join('\n');
}
