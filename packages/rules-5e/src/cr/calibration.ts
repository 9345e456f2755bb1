/**
 * Parameters of the calibrated CR method, fitted to the SRD 5.2.1 creatures by
 * `npx tsx packages/rules-5e/bench/cr-fit.ts --joint`: coordinate descent over the input adjustments, with
 * least-squares coefficients of the linear model refitted for every candidate, trained on the even-indexed
 * creatures of `resources/srd/creatures.json` (file order) and scored on the odd-indexed ones. Paste the
 * "joint" line of its output here after the SRD data changes. CONTEXT.md "CR estimation" has the accuracy.
 *
 * Read as a statement about 2024 stat blocks against the 2014 table: damage per round counts for less (×0.7
 * before the look-up; legendary actions once each per round and at half weight; reactions not counted), AC and
 * attack/DC differences matter far less than "one step per 2 points", and offense carries more weight than
 * defense in the final position. The individual values move when the data changes (the score surface is flat);
 * the held-out accuracy is what is stable.
 */
import type { CrParams } from './estimate';

export const CALIBRATED_PARAMS: CrParams = {
  hpScale: 0.9,
  dprScale: 0.7,
  acShift: 1,
  attackShift: -1,
  dcShift: 0,
  stepPoints: 2,
  resistanceMinTypes: 2,
  offenseWeight: 0.5,
  combine: 'value',
  finalShift: -0.1,
  offense: {
    areaTargets: 2,
    recharge: 'once',
    reactions: false,
    legendaryShare: 0.5,
    legendaryOncePerRound: true,
  },
  model: 'linear',
  coefficients: [0.1367, 0.3894, 0.0484, 0.7571, 0.2164],
};

/**
 * The calibrated method for 2014-edition stat blocks (`estimateCr(c, { ruleset: '2014' })`), fitted by
 * `npx tsx packages/rules-5e/bench/cr-fit.ts --set=2014 --robust` on the tuning half of the SRD 5.1 monsters in
 * `resources/eval/cr-2014/` (split by name hash, `splitByNameHash` in `bench/cr-accuracy.ts`), with spells priced
 * from the SRD spell data (`spells`), and scored on the held-out half (the "joint + extra terms" line of its
 * output). The least squares use a Huber loss (residuals beyond one ladder step count linearly), chosen by
 * cross-validation on the tuning half (CONTEXT.md, "2014 stat blocks").
 *
 * Read as a statement about 2014 stat blocks: damage as the table says (spells and every legendary action use
 * included, recharges once), legendary actions at half weight, reactions not counted, HP for less (×0.8, AC +1),
 * attack bonus and save DC far less than "one step per 2 points", and one term the table does not see: about
 * 0.46 step per legendary action use. Legendary Resistance counts only through its effective HP (DMG) and spells
 * only through their damage: the fit keeps those terms, and the hard-control term, at zero. The individual values
 * move with the data (the score surface is flat); the held-out accuracy is what is stable.
 */
export const CALIBRATED_PARAMS_2014: CrParams = {
  hpScale: 0.8,
  dprScale: 1,
  acShift: 1,
  attackShift: -1,
  dcShift: 1,
  stepPoints: 2,
  resistanceMinTypes: 3,
  offenseWeight: 0.5,
  combine: 'value',
  finalShift: -0.3,
  offense: {
    areaTargets: 2,
    recharge: 'once',
    reactions: false,
    legendaryShare: 0.5,
    legendaryOncePerRound: false,
  },
  model: 'linear',
  coefficients: [-0.0519, 0.554, 0.1968, 0.6036, 0.1552],
  extraCoefficients: [0.459, 0, 0, 0],
};
