/** The character sheet: abilities, saves, skills, AC, HP, attacks, spellcasting. Every number explains itself. */
import type { DerivedCharacter } from '@loreforge/rules-5e';
import { ABILITY_NAMES, humanize } from '../words';
import { Explained } from './Explained';

const ordinal = (n: number) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;

const skillName = humanize;

export function SheetView({ derived }: { derived: DerivedCharacter }) {
  const d = derived;
  const abilities = Object.keys(d.abilityScores) as (keyof typeof d.abilityScores)[];
  return (
    <div className="sheet" aria-label="Character sheet">
      <section className="vitals" aria-label="Vitals">
        <div className="stat">
          <span className="stat-label">Armor Class</span>
          <Explained label="Armor Class" value={d.armorClass} className="big" />
        </div>
        <div className="stat">
          <span className="stat-label">Hit Points</span>
          <Explained label="Hit Point maximum" value={d.hitPoints.max} className="big" />
        </div>
        <div className="stat">
          <span className="stat-label">Initiative</span>
          <Explained label="Initiative" value={d.initiative} sign className="big" />
        </div>
        <div className="stat">
          <span className="stat-label">Speed</span>
          <Explained label="Speed" value={d.speed} className="big" />
        </div>
        <div className="stat">
          <span className="stat-label">Proficiency</span>
          <Explained label="Proficiency Bonus" value={d.proficiencyBonus} sign className="big" />
        </div>
        <div className="stat">
          <span className="stat-label">Level</span>
          <Explained label="Level" value={d.level} className="big" />
        </div>
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
            {abilities.map((a) => (
              <tr key={a}>
                <th scope="row">{ABILITY_NAMES[a] ?? a}</th>
                <td>{d.abilityScores[a]}</td>
                <td>
                  <Explained label={`${ABILITY_NAMES[a]} modifier`} value={d.abilityModifiers[a]} sign />
                </td>
                <td>
                  <Explained label={`${ABILITY_NAMES[a]} saving throw`} value={d.savingThrows[a]} sign />
                  {d.savingThrows[a].proficient && (
                    <span className="badge" title="proficient">
                      P
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-label="Skills" className="skills">
        <h3>Skills</h3>
        <ul>
          {Object.entries(d.skills).map(([k, s]) => (
            <li key={k} className={s.proficiency !== 'none' ? 'prof' : ''}>
              <span>
                {skillName(k)} <small>({s.ability.charAt(0).toUpperCase() + s.ability.slice(1)})</small>
                {s.proficiency === 'expertise' ? ' ★★' : s.proficiency === 'proficient' ? ' ★' : ''}
              </span>
              <Explained label={skillName(k)} value={s} sign />
            </li>
          ))}
        </ul>
        <p className="passive">
          Passive Perception <Explained label="Passive Perception" value={d.passive.perception} />
        </p>
      </section>

      <section aria-label="Attacks" className="attacks">
        <h3>Attacks</h3>
        {d.attacks.length === 0 ? (
          <p className="muted">No weapons equipped.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Weapon</th>
                <th scope="col">To hit</th>
                <th scope="col">Damage</th>
              </tr>
            </thead>
            <tbody>
              {d.attacks.map((a, i) => (
                <tr key={`${a.item}-${i}`}>
                  <th scope="row">
                    {a.name}
                    {a.mastery ? <small> · mastery: {humanize(a.mastery)}</small> : null}
                    {!a.proficient && (
                      <span className="badge warn" data-testid="not-proficient">
                        <span aria-hidden="true">⚠ </span>Not proficient: no proficiency bonus to hit
                      </span>
                    )}
                  </th>
                  <td>
                    <Explained label={`${a.name} attack bonus`} value={a.toHit} sign />
                  </td>
                  <td>
                    {a.damage.dice}
                    <Explained label={`${a.name} damage bonus`} value={a.damage.bonus} sign /> {a.damage.type}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-label="Spellcasting" className="spells">
        <h3>Spellcasting</h3>
        {d.spellcasting.classes.length === 0 ? (
          <p className="muted">Not a spellcaster.</p>
        ) : (
          <>
            {d.spellcasting.classes.map((c) => (
              <p key={c.class}>
                <strong>{skillName(c.class)}</strong> ({ABILITY_NAMES[c.ability] ?? c.ability}) · save DC{' '}
                <Explained label={`${skillName(c.class)} spell save DC`} value={c.saveDC} /> · attack{' '}
                <Explained label={`${skillName(c.class)} spell attack`} value={c.attackBonus} sign /> ·{' '}
                {c.cantrips} cantrips, {c.prepared} prepared
              </p>
            ))}
            <p>
              Slots:{' '}
              {d.spellcasting.slots
                .map((n, i) => (n > 0 ? `${ordinal(i + 1)}: ${n}` : null))
                .filter(Boolean)
                .join(' · ') || 'none'}
              {d.spellcasting.pactSlots
                ? ` · pact ${d.spellcasting.pactSlots.count} × level ${d.spellcasting.pactSlots.level}`
                : ''}
            </p>
          </>
        )}
      </section>
      <p className="hint muted">Hover or focus any number to see where it comes from.</p>
    </div>
  );
}
