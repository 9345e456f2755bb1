/**
 * A monster's stat block (AC, HP, speeds, abilities, saves, skills, senses, defenses, traits, actions, legendary
 * actions) and the rules engine's CR estimate with its defensive and offensive halves. Numbers are the stat
 * block's own; the CR shown is the estimate (the stored CR is mentioned when it differs).
 */
import type { MonsterView } from '@loreforge/core';
import type { CreatureAction, DamageRoll, Usage } from '@loreforge/rules-5e';

const ABILITIES = [
  ['str', 'Strength'],
  ['dex', 'Dexterity'],
  ['con', 'Constitution'],
  ['int', 'Intelligence'],
  ['wis', 'Wisdom'],
  ['cha', 'Charisma'],
] as const;

const METHOD_TEXT: Record<string, string> = {
  calibrated: 'calibrated method (DMG table, tuned against the SRD monsters)',
  dmg2014: 'DMG 2014 table method',
};

export const signed = (n: number) => (n >= 0 ? `+${n}` : `${n}`);
export const modifier = (score: number) => Math.floor((score - 10) / 2);
/** 0.125 → "1/8", 0.25 → "1/4", 0.5 → "1/2", else the number. */
export const crText = (cr: number) =>
  cr === 0.125 ? '1/8' : cr === 0.25 ? '1/4' : cr === 0.5 ? '1/2' : String(cr);
const titled = (s: string) => s.replace(/-/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());

function damageText(rolls: readonly DamageRoll[]) {
  return rolls.map((d) => `${d.average} (${d.dice}) ${d.type}`).join(' plus ');
}

function usageText(u: Usage): string {
  if (u.type === 'recharge') return `recharge ${u.min === 6 ? '6' : `${u.min}–6`}`;
  if (u.type === 'per-day') return `${u.times}/day`;
  return `once per ${u.rest} rest`;
}

function ActionItem({ a }: { a: CreatureAction }) {
  const label = `${a.name}${a.cost && a.cost > 1 ? ` (costs ${a.cost} actions)` : ''}`;
  return (
    <li aria-label={`Action ${a.name}`}>
      <strong>{label}.</strong>{' '}
      {a.attack && (
        <span className="attack">
          {a.attack.kind === 'melee-or-ranged' ? 'Melee or ranged' : titled(a.attack.kind)} attack:{' '}
          <span aria-label={`${a.name} attack bonus`}>{signed(a.attack.bonus)}</span> to hit
          {a.attack.reach !== undefined ? `, reach ${a.attack.reach} ft.` : ''}
          {a.attack.range
            ? `, range ${a.attack.range.normal}${a.attack.range.long ? `/${a.attack.range.long}` : ''} ft.`
            : ''}{' '}
          Hit: <span aria-label={`${a.name} damage`}>{damageText(a.attack.damage)}</span>.{' '}
        </span>
      )}
      {a.save && (
        <span className="save">
          <span aria-label={`${a.name} save DC`}>DC {a.save.dc}</span> {titled(a.save.ability)} save
          {a.save.area ? ' (area)' : ''}
          {a.save.damage.length > 0 && (
            <>
              : <span aria-label={`${a.name} save damage`}>{damageText(a.save.damage)}</span>
              {a.save.onSuccess === 'half' ? ', half on a success' : ', none on a success'}
            </>
          )}
          .{' '}
        </span>
      )}
      {a.multiattack && (
        <span>Makes {a.multiattack.map((m) => `${m.count} × ${m.action}`).join(', ')}. </span>
      )}
      {a.usage && <small className="muted">({usageText(a.usage)}) </small>}
      {/* The structured numbers above are authoritative; the prose summary is shown only when there are none. */}
      {!a.attack && !a.save && !a.multiattack && <span className="muted">{a.summary}</span>}
    </li>
  );
}

function ActionList({ title, actions }: { title: string; actions: readonly CreatureAction[] }) {
  if (actions.length === 0) return null;
  return (
    <section aria-label={title} className="sb-actions">
      <h3>{title}</h3>
      <ul>
        {actions.map((a, i) => (
          <ActionItem key={`${a.name}-${i}`} a={a} />
        ))}
      </ul>
    </section>
  );
}

export function StatBlockView({ monster }: { monster: MonsterView }) {
  const c = monster.statBlock;
  const ch = monster.challenge;
  const speeds = (['walk', 'fly', 'swim', 'climb', 'burrow'] as const)
    .filter((k) => c.speed[k] !== undefined)
    .map(
      (k) =>
        `${k === 'walk' ? '' : `${k} `}${c.speed[k]} ft.${k === 'fly' && c.speed.hover ? ' (hover)' : ''}`,
    )
    .join(', ');
  const senses = [
    ...(['darkvision', 'blindsight', 'tremorsense', 'truesight'] as const)
      .filter((k) => c.senses[k] !== undefined)
      .map((k) => `${k} ${c.senses[k]} ft.`),
    `passive Perception ${c.senses.passivePerception}`,
  ].join(', ');
  const defenses: [string, readonly string[]][] = [
    ['Resistances', c.resistances],
    ['Immunities', c.immunities],
    ['Vulnerabilities', c.vulnerabilities],
    ['Condition immunities', c.conditionImmunities],
  ];
  return (
    <div className="sheet statblock" aria-label="Stat block">
      <section className="vitals" aria-label="Vitals">
        <p className="sb-type muted">
          {titled(c.size)} {c.type}, {c.alignment}
          {c.summary ? ` — ${c.summary}` : ''}
        </p>
        <div className="stat">
          <span className="stat-label">Armor Class</span>
          <span className="big" aria-label={`Armor Class: ${c.ac}`}>
            {c.ac}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Hit Points</span>
          <span className="big" aria-label={`Hit Points: ${c.hp.average}`}>
            {c.hp.average}
          </span>
          <small>{c.hp.formula}</small>
        </div>
        <div className="stat">
          <span className="stat-label">Initiative</span>
          <span className="big" aria-label={`Initiative: ${signed(c.initiative)}`}>
            {signed(c.initiative)}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Proficiency</span>
          <span className="big" aria-label={`Proficiency Bonus: ${signed(c.proficiencyBonus)}`}>
            {signed(c.proficiencyBonus)}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Speed</span>
          <span aria-label={`Speed: ${speeds}`}>{speeds}</span>
        </div>
      </section>

      <section aria-label="Challenge" className="challenge">
        <h3>
          Challenge <span data-testid="monster-cr">{crText(ch.cr)}</span>{' '}
          <small className="muted">({ch.xp.toLocaleString('en')} XP)</small>
        </h3>
        <dl>
          <dt>Defensive CR</dt>
          <dd aria-label={`Defensive CR: ${crText(ch.defensiveCr)}`}>{crText(ch.defensiveCr)}</dd>
          <dt>Offensive CR</dt>
          <dd aria-label={`Offensive CR: ${crText(ch.offensiveCr)}`}>{crText(ch.offensiveCr)}</dd>
          <dt>Method</dt>
          <dd>{METHOD_TEXT[ch.method] ?? ch.method}</dd>
        </dl>
        <p className="muted">
          The rules engine estimates CR from HP and AC (defense) and damage per round with attack bonus or
          save DC (offense); the final CR is the average of the two halves.
          {ch.stored !== ch.cr ? ` The stat block says CR ${crText(ch.stored)}.` : ''}
        </p>
      </section>

      <section aria-label="Abilities" className="abilities">
        <h3>Abilities</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">Ability</th>
              <th scope="col">Score</th>
              <th scope="col">Modifier</th>
              <th scope="col">Save</th>
            </tr>
          </thead>
          <tbody>
            {ABILITIES.map(([k, name]) => {
              const save = c.saves[k];
              return (
                <tr key={k}>
                  <th scope="row">{name}</th>
                  <td aria-label={`${name} score`}>{c.abilities[k]}</td>
                  <td aria-label={`${name} modifier`}>{signed(modifier(c.abilities[k]))}</td>
                  <td aria-label={`${name} saving throw`}>
                    {signed(save ?? modifier(c.abilities[k]))}
                    {save !== undefined && (
                      <span className="badge" title="proficient">
                        P
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section aria-label="Skills and senses" className="skills">
        <h3>Skills and senses</h3>
        <ul>
          {Object.entries(c.skills).map(([k, v]) => (
            <li key={k} className="prof">
              <span>{titled(k)}</span>
              <span aria-label={`${titled(k)}: ${signed(v)}`}>{signed(v)}</span>
            </li>
          ))}
          {Object.keys(c.skills).length === 0 && <li className="muted">No skill proficiencies.</li>}
        </ul>
        <p aria-label="Senses">Senses: {senses}</p>
        <p>
          Languages: {c.languages.length > 0 ? c.languages.join(', ') : 'none'}
          {c.telepathy ? `; telepathy ${c.telepathy} ft.` : ''}
        </p>
        {defenses
          .filter(([, list]) => list.length > 0)
          .map(([label, list]) => (
            <p key={label} aria-label={label}>
              {label}: {list.map(titled).join(', ')}
            </p>
          ))}
      </section>

      {(c.traits.length > 0 || c.legendaryResistance > 0) && (
        <section aria-label="Traits" className="sb-actions">
          <h3>Traits</h3>
          <ul>
            {c.legendaryResistance > 0 && (
              <li>
                <strong>Legendary Resistance ({c.legendaryResistance}/day).</strong>
              </li>
            )}
            {c.traits.map((t, i) => (
              <li key={`${t.name}-${i}`}>
                <strong>{t.name}.</strong> <span className="muted">{t.summary}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <ActionList
        title="Actions"
        actions={c.spellcasting ? c.actions.filter((a) => a.name !== 'Spellcasting') : c.actions}
      />
      {c.spellcasting && (
        <section aria-label="Spellcasting" className="sb-actions">
          <h3>Spellcasting</h3>
          <p>
            {titled(c.spellcasting.ability)}
            {c.spellcasting.dc !== null ? ` · save DC ${c.spellcasting.dc}` : ''}
            {c.spellcasting.attackBonus !== null ? ` · attack ${signed(c.spellcasting.attackBonus)}` : ''}
          </p>
          <ul>
            {c.spellcasting.spells.map((sp, i) => (
              <li key={`${sp.spell}-${i}`}>
                {titled(sp.spell)} <small className="muted">({sp.usage})</small>
              </li>
            ))}
          </ul>
        </section>
      )}
      <ActionList title="Bonus actions" actions={c.bonusActions} />
      <ActionList title="Reactions" actions={c.reactions} />
      {c.legendaryActions && (
        <section aria-label="Legendary actions" className="sb-actions">
          <h3>Legendary actions ({c.legendaryActions.uses} per round)</h3>
          <ul>
            {c.legendaryActions.actions.map((a, i) => (
              <ActionItem key={`${a.name}-${i}`} a={a} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
