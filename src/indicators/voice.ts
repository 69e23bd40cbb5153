// Voices of children and families: survey answers (src/ingest/surveys.ts, docs/surveys.md) turned into
// percentage measures that are judged, charted and reported like every other indicator. Each indicator
// reads one question of one survey: the denominator is every answer given to it in the period (by the
// response date; a blank answer — not answered — is left out), the numerator the answers at the top of
// its scale. One row per response; child_id is the child the response is about when the file names one.
import type { Indicator } from './types.ts';
import { SURVEY_SCALES } from '../ingest/surveys.ts';

interface SurveyMeasure {
  id: string; title: string; survey: string; question: string; positive: readonly string[];
  definition: string; source: string; numeratorLabel: string; denominatorLabel: string;
}

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function surveyIndicator(m: SurveyMeasure): Indicator {
  const scale = SURVEY_SCALES[m.survey]?.[m.question];
  if (!scale || m.positive.some((a) => !scale.includes(a))) throw new Error(`${m.id}: ${m.positive.join(', ')} not on the scale of ${m.survey} ${m.question}`);
  return {
    id: m.id, title: m.title, theme: 'voice', unit: 'percent', polarity: 'higher', measure: 'flow',
    definition: `${m.definition} Answers on the scale ${scale.join(' / ')}; counted: ${m.positive.join(' or ')}. `
      + 'By the date of the response; a question left blank is not counted.',
    source: m.source,
    breakdowns: ['team'],
    details: [
      { name: 'response_id', label: 'Response' },
      { name: 'response_date', label: 'Date' },
      { name: 'answer', label: 'Answer' },
    ],
    numeratorLabel: m.numeratorLabel,
    denominatorLabel: m.denominatorLabel,
    sql: () => `
      SELECT p.period_id, r.child_id, CASE WHEN r.answer IN (${m.positive.map(lit).join(', ')}) THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        r.response_date AS at_date, r.team, CAST(NULL AS VARCHAR) AS worker, r.response_id, r.response_date, r.answer
      FROM periods p JOIN main.survey_responses r ON r.response_date BETWEEN p.start_date AND p.end_date
      WHERE r.survey = ${lit(m.survey)} AND r.question = ${lit(m.question)} AND r.answer IS NOT NULL`,
  };
}

const LOCAL_SURVEY = 'Local survey, imported as survey results CSV (docs/surveys.md)';

export const INDICATORS: readonly Indicator[] = [
  surveyIndicator({
    id: 'voice.early_help_rated_good', title: 'Families rating their early help good or excellent',
    survey: 'early_help_exit', question: 'overall_rating', positive: ['excellent', 'good'],
    definition: 'Of the families answering the early help exit survey\'s overall rating when their early help closed, the percentage rating it good or excellent.',
    source: `${LOCAL_SURVEY}: early help exit survey`, numeratorLabel: 'rated good or excellent', denominatorLabel: 'families answering',
  }),
  surveyIndicator({
    id: 'voice.early_help_felt_listened_to', title: 'Families who felt listened to in early help',
    survey: 'early_help_exit', question: 'felt_listened_to', positive: ['yes'],
    definition: 'Of the families answering the early help exit survey\'s question "did you feel listened to?", the percentage answering yes.',
    source: `${LOCAL_SURVEY}: early help exit survey`, numeratorLabel: 'felt listened to', denominatorLabel: 'families answering',
  }),
  surveyIndicator({
    id: 'voice.children_felt_listened_to', title: 'Children who felt listened to',
    survey: 'childrens_feedback', question: 'felt_listened_to', positive: ['yes'],
    definition: 'Of the children and young people answering the feedback question "did your social worker listen to you?" (feedback app or form), the percentage answering yes.',
    source: `${LOCAL_SURVEY}: children's feedback`, numeratorLabel: 'felt listened to', denominatorLabel: 'children answering',
  }),
];
