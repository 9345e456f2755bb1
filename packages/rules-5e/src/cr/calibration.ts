/**
 * Parameters of the calibrated CR method, fitted to the SRD 5.2.1 creatures by `bench/cr-fit.ts --joint`
 * (coordinate descent over the inputs with least-squares linear coefficients, trained on the even-indexed
 * creatures of `resources/srd/creatures.json`, scored on the odd-indexed ones). See CONTEXT.md "CR estimation".
 *
 * What the fit says about 2024 stat blocks compared with the 2014 table: effective HP counts ~10% more, damage
 * per round much less (×0.6 before the look-up, and 2024 legendary actions count once each and half of them),
 * AC and attack/DC differences matter far less than the DMG's "one step per 2 points", and the final CR leans
 * slightly to offense.
 */
import type { CrParams } from './estimate';

export const CALIBRATED_PARAMS: CrParams = {
  hpScale: 1.1,
  dprScale: 0.6,
  acShift: 1,
  attackShift: -1,
  dcShift: 2,
  stepPoints: 2,
  resistanceMinTypes: 4,
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
  coefficients: [0.2881, 0.5038, 0.078, 0.6189, 0.165],
};
