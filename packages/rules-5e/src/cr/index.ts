export {
  estimateCr,
  crFeatures,
  nearestCr,
  DMG2014_PARAMS,
  type CrEstimate,
  type CrMethod,
  type CrOptions,
  type CrParams,
} from './estimate';
export { CALIBRATED_PARAMS, CALIBRATED_PARAMS_2014 } from './calibration';
export {
  offensePlan,
  actionParts,
  type DamagePart,
  type OffenseParams,
  type OffensePlan,
  type SpellLookup,
} from './damage';
