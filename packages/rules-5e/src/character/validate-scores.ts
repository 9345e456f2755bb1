/** Ability scores of a character lie in 1–20. */
import { ABILITIES } from '../content/types';
import type { CharacterContext } from './context';
import { pointer, type IssueList } from './issues';
import { SCORE_MAX, SCORE_MIN } from './rules';

export function validateScores(ctx: CharacterContext, issues: IssueList): void {
  for (const a of ABILITIES) {
    const score = ctx.build.abilityScores[a];
    if (score < SCORE_MIN || score > SCORE_MAX) {
      issues.error(
        'score-out-of-range',
        pointer('abilityScores', a),
        `${a} score ${score} is outside ${SCORE_MIN}–${SCORE_MAX}`,
      );
    }
  }
}
