import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derive, repair, toDeriveOutput, validate, type Content } from '../../src/index';
import { arbitraryBuild } from '../fixtures/arbitrary-build';

/** Property runs take seconds; a loaded shared machine needs room (this is not a speed assertion). */
const TIMEOUT_MS = 120_000;

/** The never-throw and repair-validates properties, run against one content set. */
export function propertySuite(name: string, content: () => Content, numRuns: number): void {
  describe(`properties (${name})`, () => {
    it(
      'derive, validate and repair never throw nor change their input, on any build the schema admits',
      () => {
        fc.assert(
          fc.property(arbitraryBuild(content()), (build) => {
            const before = structuredClone(build);
            const out = toDeriveOutput(derive(build, content()));
            expect(out.spellcasting.slots).toHaveLength(9);
            expect(Object.keys(out.skills)).toHaveLength(18);
            for (const n of [out.level, out.proficiencyBonus, out.armorClass, out.hitPoints.max, out.speed]) {
              expect(Number.isFinite(n)).toBe(true);
            }
            for (const issue of validate(build, content()).issues) {
              expect(issue.path).toMatch(/^(\/[^/]+)+$/);
              expect(issue.message).not.toBe('');
            }
            for (const change of repair(build, content()).changes)
              expect(change.path).toMatch(/^(\/[^/]+)+$/);
            expect(build).toEqual(before); // pure: the input is never changed
          }),
          { numRuns },
        );
      },
      TIMEOUT_MS,
    );

    it(
      'repair always yields a build that validates, and repairing it again changes nothing',
      () => {
        let invalidBefore = 0;
        let grantedKept = 0;
        fc.assert(
          fc.property(arbitraryBuild(content()), (build) => {
            if (!validate(build, content()).valid) invalidBefore++;
            const repaired = repair(build, content());
            grantedKept += repaired.build.grantedSpells?.length ?? 0;
            const result = validate(repaired.build, content());
            expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
            expect(result.valid).toBe(true);
            const again = repair(repaired.build, content());
            expect(again.changes).toEqual([]);
            expect(again.build).toEqual(repaired.build);
          }),
          { numRuns },
        );
        // The generator must mostly produce broken builds, or the property would prove little.
        expect(invalidBefore).toBeGreaterThan(numRuns / 2);
        // When content has spell grants, some granted-spell entries must survive repair (the generator reaches them).
        const grants = [...content().feats.values(), ...content().species.values()].some((x) =>
          JSON.stringify(x).includes('"grant-spells"'),
        );
        if (grants) expect(grantedKept).toBeGreaterThan(0);
      },
      TIMEOUT_MS,
    );
  });
}
