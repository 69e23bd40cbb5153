// Survey results (the voices of children and families): a CSV with one line per answer — survey,
// response_id, response_date, question, answer, and optionally child_id and team (docs/surveys.md).
// Recognised by those columns (any case, any order). Ids stay text. The questions the voice indicators
// read have a fixed answer scale (SURVEY_SCALES); an answer off the scale is an error (row not loaded),
// because it cannot be counted either way. Answers to other questions are stored as given.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { emptyRow } from '../model.ts';
import { FileRejected } from './errors.ts';
import type { FileSummary, Finding, RecordSink } from './types.ts';
import { parseIsoDate, parseUkDate } from './values.ts';

export const SURVEY_CODES = {
  missingColumn: 'CSC601',
  missingKey: 'CSC602',
  badDate: 'CSC603',
  offScale: 'CSC604',
  unknownColumn: 'CSC605',
  empty: 'CSC606',
} as const;

/** Answer scales of the questions the voice indicators count, best first (lower case, as stored). */
export const SURVEY_SCALES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  early_help_exit: {
    overall_rating: ['excellent', 'good', 'ok', 'poor', 'very poor'],
    felt_listened_to: ['yes', 'sometimes', 'no'],
  },
  childrens_feedback: {
    felt_listened_to: ['yes', 'sometimes', 'no'],
    overall_rating: ['excellent', 'good', 'ok', 'poor', 'very poor'],
  },
};

const COLUMNS = ['survey', 'response_id', 'response_date', 'question', 'answer', 'child_id', 'team'] as const;
const REQUIRED = ['survey', 'response_id', 'response_date', 'question', 'answer'] as const;

const norm = (h: string): string => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');

export function isSurveyHeader(columns: readonly string[]): boolean {
  const n = columns.map(norm);
  return n.includes('survey') && n.includes('question') && n.includes('answer');
}

export async function readSurveys(path: string, sink: RecordSink): Promise<FileSummary> {
  const file = basename(path);
  const finding = (code: string, severity: 'error' | 'warning', row: number | null, field: string | null, value: string | null, message: string, childId: string | null = null) =>
    sink.finding({ ruleset: 'survey', code, severity, file, row, section: 'survey_responses', field, value, childId, message: `${file}${row === null ? '' : ` line ${row}`}: ${message}` });
  const source = createReadStream(path);
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let index: Map<string, number> | null = null;
  const surveys = new Set<string>();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!index) {
        index = new Map();
        record.forEach((h, i) => {
          const c = norm(h);
          if ((COLUMNS as readonly string[]).includes(c)) index!.set(c, i);
          else if (h.trim() !== '') finding(SURVEY_CODES.unknownColumn, 'warning', line, null, h, `column '${h}' is not one of ${COLUMNS.join(', ')}; ignored (${SURVEY_CODES.unknownColumn})`);
        });
        const missing = REQUIRED.filter((c) => !index!.has(c));
        if (missing.length) {
          const f: Finding = { ruleset: 'survey', code: SURVEY_CODES.missingColumn, severity: 'error', file, row: line, section: 'survey_responses', field: missing.join(', '), value: null,
            message: `${file} line ${line}: no ${missing.join(', ')} column (a survey file needs ${REQUIRED.join(', ')}) — nothing loaded from this file (${SURVEY_CODES.missingColumn})` };
          throw new FileRejected(f.message, [f]);
        }
        continue;
      }
      if (record.every((c) => c.trim() === '')) continue;
      const cell = (c: string): string => { const i = index!.get(c); return i === undefined ? '' : (record[i] ?? '').trim(); };
      const r = emptyRow('survey_responses');
      r.survey = cell('survey').toLowerCase() || null;
      r.response_id = cell('response_id') || null;
      r.question = cell('question').toLowerCase() || null;
      r.child_id = cell('child_id') || null;
      r.team = cell('team') || null;
      const missingKey = (['survey', 'response_id', 'question'] as const).find((k) => r[k] === null);
      if (missingKey) {
        finding(SURVEY_CODES.missingKey, 'error', line, missingKey, null, `${missingKey} is empty — answer not loaded (${SURVEY_CODES.missingKey})`, r.child_id);
        continue;
      }
      const rawDate = cell('response_date');
      const date = parseIsoDate(rawDate) ?? parseUkDate(rawDate);
      if (!date) {
        finding(SURVEY_CODES.badDate, 'error', line, 'response_date', rawDate, `response_date '${rawDate}' is not a date (YYYY-MM-DD or dd/mm/yyyy) — answer not loaded (${SURVEY_CODES.badDate})`, r.child_id);
        continue;
      }
      r.response_date = date;
      const answer = cell('answer').toLowerCase().replace(/\s+/g, ' ');
      const scale = SURVEY_SCALES[r.survey!]?.[r.question!];
      if (answer !== '' && scale && !scale.includes(answer)) {
        finding(SURVEY_CODES.offScale, 'error', line, 'answer', cell('answer'),
          `'${cell('answer')}' is not an answer to ${r.survey} ${r.question} (one of ${scale.join(', ')}, or blank for not answered) — answer not loaded (${SURVEY_CODES.offScale})`, r.child_id);
        continue;
      }
      r.answer = answer === '' ? null : answer;
      surveys.add(r.survey!);
      sink.add('survey_responses', r, line);
    }
  } finally {
    source.destroy();
  }
  if (!index) {
    const f: Finding = { ruleset: 'survey', code: SURVEY_CODES.empty, severity: 'error', file, row: null, section: 'survey_responses', field: null, value: null,
      message: `${file}: the file is empty — nothing loaded from this file (${SURVEY_CODES.empty})` };
    throw new FileRejected(f.message, [f]);
  }
  // Surveys are a feed, like native events: no period, so a file never supersedes another (keys keep the latest answer).
  return { kind: 'survey', parts: [...surveys].sort() };
}
