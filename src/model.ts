// The child's journey as canonical tables. Every reader (Annex A, CIN census, SSDA903, native events)
// writes these rows, the synthetic authority produces them, and the store creates its tables from them.
// Column names follow the statutory guidance; coded values keep their DfE codes (see codes.ts).
// Dates are ISO 'YYYY-MM-DD' strings, timestamps 'YYYY-MM-DDTHH:MM:SS' (local time, no zone).

type ColumnType = 'text' | 'date' | 'timestamp' | 'int' | 'bool' | 'real';

interface TableSpec {
  /** Columns that identify one real-world record: a record seen in two loads is the same record. */
  readonly key: readonly string[];
  readonly columns: Readonly<Record<string, ColumnType>>;
  readonly description: string;
}

/** Where each table's rows come from; the store adds provenance columns (load_id, source_file, source_row). */
export const TABLES = {
  children: {
    description: 'One row per child: CIN census ChildIdentifiers/ChildCharacteristics, SSDA903 header, Annex A columns',
    key: ['child_id'],
    columns: {
      child_id: 'text', upn: 'text', dob: 'date',
      sex: 'text', // 'M' | 'F' | 'U' (CIN Sex, 903 SEX 1/2 and CIN GenderCurrent 1/2/0/9 are mapped to it)
      ethnicity: 'text', disabilities: 'text', // comma-separated DfE disability codes, '' when NONE
      disabled: 'bool', uasc: 'bool', date_of_death: 'date',
    },
  },
  contacts: {
    description: 'Contacts to the front door (Annex A List 1, native events with decision times)',
    key: ['contact_id'],
    columns: {
      contact_id: 'text', child_id: 'text', received_at: 'timestamp', source: 'text',
      decision_at: 'timestamp', outcome: 'text', // CONTACT_OUTCOMES
      team: 'text', worker: 'text',
    },
  },
  early_help: {
    description: 'Early help assessments (Annex A List 2, native events)',
    key: ['child_id', 'start_date'],
    columns: {
      child_id: 'text', start_date: 'date', completion_date: 'date', organisation: 'text',
      completed_by: 'text', // 'partner' | 'la'
      step_down: 'bool', family_id: 'text',
    },
  },
  referrals: {
    description: 'Referrals and the CIN episode each opens (CIN census CINdetails, Annex A Lists 3 and 6)',
    key: ['child_id', 'referral_date'],
    columns: {
      child_id: 'text', referral_date: 'date', source: 'text', nfa: 'bool', primary_need: 'text',
      closure_date: 'date', closure_reason: 'text', team: 'text', worker: 'text',
    },
  },
  assessments: {
    description: 'Social work (single/continuous) assessments (CIN census Assessments, Annex A List 4)',
    key: ['child_id', 'start_date'],
    columns: {
      child_id: 'text', referral_date: 'date', start_date: 'date', child_seen: 'bool', authorisation_date: 'date',
      needs_support: 'bool', factors: 'text', // comma-separated assessment factor codes
      team: 'text', worker: 'text',
    },
  },
  section47: {
    description: 'Section 47 enquiries and their initial child protection conferences (CIN census Section47, Annex A List 5)',
    key: ['child_id', 'start_date'],
    columns: {
      child_id: 'text', referral_date: 'date', start_date: 'date', icpc_target_date: 'date',
      icpc_not_required: 'bool', icpc_date: 'date', icpc_plan: 'bool', team: 'text', worker: 'text',
    },
  },
  cin_plans: {
    description: 'Child in need plans (CIN census CINPlanDates)',
    key: ['child_id', 'start_date'],
    columns: { child_id: 'text', referral_date: 'date', start_date: 'date', end_date: 'date' },
  },
  cp_plans: {
    description: 'Child protection plans (CIN census ChildProtectionPlans, Annex A List 7)',
    key: ['child_id', 'start_date'],
    columns: {
      child_id: 'text', referral_date: 'date', start_date: 'date', end_date: 'date',
      initial_category: 'text', latest_category: 'text', previous_plans: 'int', team: 'text', worker: 'text',
    },
  },
  cp_reviews: {
    description: 'Child protection review conferences (CIN census CPPreviewDate)',
    key: ['child_id', 'review_date'],
    columns: { child_id: 'text', plan_start_date: 'date', review_date: 'date' },
  },
  visits: {
    description: 'Statutory visits to children on CIN, CP and looked-after plans (native events, Annex A last visit)',
    key: ['child_id', 'visit_date', 'visit_type'],
    columns: { child_id: 'text', visit_date: 'date', visit_type: 'text', seen_alone: 'bool', worker: 'text' },
  },
  lac_episodes: {
    description: 'Looked-after episodes (SSDA903 episodes)',
    key: ['child_id', 'decom'],
    columns: {
      child_id: 'text', decom: 'date', rne: 'text', legal_status: 'text', category_of_need: 'text',
      placement_type: 'text', placement_provider: 'text', dec: 'date', reason_ceased: 'text',
      reason_place_change: 'text', home_postcode: 'text', placement_postcode: 'text', urn: 'text',
    },
  },
  lac_reviews: {
    description: 'Looked-after reviews (SSDA903 reviews)',
    key: ['child_id', 'review_date'],
    columns: { child_id: 'text', review_date: 'date', participation: 'text' },
  },
  health: {
    description: 'Outcomes for children looked after 12 months+ (SSDA903 OC2), one row per child per collection year',
    key: ['child_id', 'collection_year'],
    columns: {
      child_id: 'text', collection_year: 'int', sdq_score: 'int', sdq_reason: 'text', convicted: 'bool',
      health_check: 'bool', immunisations: 'bool', teeth_check: 'bool', health_assessment: 'bool',
      substance_misuse: 'bool', intervention_received: 'bool', intervention_offered: 'bool',
    },
  },
  health_assessments: {
    description: 'Dated health assessments and dental checks of looked-after children (native events, Annex A List 8)',
    key: ['child_id', 'assessment_date', 'kind'],
    columns: { child_id: 'text', assessment_date: 'date', kind: 'text' }, // 'initial' | 'review' | 'dental'
  },
  peps: {
    description: 'Personal education plans (native events)',
    key: ['child_id', 'pep_date'],
    columns: { child_id: 'text', pep_date: 'date' },
  },
  missing_episodes: {
    description: 'Missing or away-from-placement episodes (SSDA903 missing)',
    key: ['child_id', 'start_date'],
    columns: { child_id: 'text', missing_type: 'text', start_date: 'date', end_date: 'date' },
  },
  care_leavers: {
    description: 'Care leavers on their 17th–21st birthdays (SSDA903 OC3, Annex A List 9)',
    key: ['child_id', 'collection_year'],
    columns: {
      child_id: 'text', collection_year: 'int', in_touch: 'text', activity: 'text', accommodation: 'text',
      accommodation_suitable: 'bool', eligibility: 'text',
    },
  },
  adoptions: {
    description: 'Adoption decisions and orders (SSDA903 AD1, Annex A List 10)',
    key: ['child_id', 'decision_date'],
    columns: {
      child_id: 'text', decision_date: 'date', placement_order_date: 'date', matched_date: 'date',
      placed_date: 'date', adoption_order_date: 'date', decision_reversed_date: 'date', reason_reversed: 'text',
      foster_care: 'bool', number_of_adopters: 'int', sex_of_adopters: 'text', legal_status_of_adopters: 'text',
    },
  },
  placed_for_adoption: {
    description: 'Placements for adoption (SSDA903 placed_for_adoption)',
    key: ['child_id', 'date_placed'],
    columns: { child_id: 'text', date_placed: 'date', date_placed_ceased: 'date', reason_placed_ceased: 'text' },
  },
  previous_permanence: {
    description: 'Permanence before this period of care (SSDA903 previous_permanence)',
    key: ['child_id'],
    columns: { child_id: 'text', previous_permanence: 'text', la_of_permanence: 'text', date_of_permanence: 'text' },
  },
  uasc: {
    description: 'Unaccompanied asylum-seeking children (SSDA903 UASC)',
    key: ['child_id'],
    columns: { child_id: 'text', date_uasc_ceased: 'date' },
  },
  social_worker_episodes: {
    description: 'Social worker changes for looked-after children (SSDA903 sw_episodes)',
    key: ['child_id', 'start_date'],
    columns: { child_id: 'text', worker_id: 'text', start_date: 'date', end_date: 'date', reason: 'text' },
  },
  pre_proceedings: {
    description: 'Pre-proceedings under the Public Law Outline (CIN census PreProceedingsandFGDM, from 2026)',
    key: ['child_id', 'start_date'],
    columns: {
      child_id: 'text', referral_date: 'date', start_date: 'date', letter_before_proceedings_date: 'date',
      fgdm_offered: 'bool', fgdm_facilitated: 'bool', initial_meeting_date: 'date', review_meetings: 'int',
      decision_date: 'date', outcome: 'text', court_application_date: 'date', letter_initial_cp_date: 'date',
    },
  },
  care_proceedings: {
    description: 'Care proceedings issued and concluded (native events)',
    key: ['child_id', 'issued_date'],
    columns: { child_id: 'text', issued_date: 'date', final_order_date: 'date', order_type: 'text' },
  },
  teams: {
    description: 'Teams of the children\'s services department (native events)',
    key: ['team_id'],
    columns: { team_id: 'text', name: 'text', service: 'text' },
  },
  workers: {
    description: 'Social workers and their teams (native events)',
    key: ['worker_id'],
    columns: {
      worker_id: 'text', name: 'text', team_id: 'text', role: 'text', agency: 'bool', start_date: 'date', end_date: 'date',
    },
  },
  allocations: {
    description: 'Which worker and team hold which child, when (native events)',
    key: ['child_id', 'start_date', 'worker_id'],
    columns: { child_id: 'text', worker_id: 'text', team_id: 'text', start_date: 'date', end_date: 'date' },
  },
  supervisions: {
    description: 'Supervision sessions of social workers: who was supervised, when and by whom (native events)',
    key: ['worker_id', 'supervision_date'],
    columns: { worker_id: 'text', supervision_date: 'date', supervisor_id: 'text', team_id: 'text' },
  },
  csww_workers: {
    description: 'Children\'s social work workforce return (DfE CSWW): one row per CSWWWorker record at the census date (30 September)',
    key: ['census_date', 'swe_no', 'role_start_date'],
    columns: {
      census_date: 'date', // Header/CollectionDetails/ReferenceDate
      swe_no: 'text', // SWENo: Social Work England registration number, kept as text
      agency: 'bool', // AgencyWorker
      fte: 'real', // FTE at the census date (0 for a leaver)
      birth_date: 'date', gender: 'text', ethnicity: 'text', // PersonBirthDate, GenderCurrent, Ethnicity
      qual_level: 'text', org_role: 'text', // QualLevel; OrgRole: 1 senior manager … 5 case holder, 6 qualified not holding cases
      role_start_date: 'date', start_origin: 'text', // RoleStartDate, StartOrigin
      role_end_date: 'date', leaver_destination: 'text', reason_leave: 'text', // RoleEndDate, LeaverDestination, ReasonLeave
      fte30: 'real', cases30: 'int', // FTE30 and Cases30: case holders' FTE and cases at the census date
      working_days_lost: 'real', contract_weeks: 'real', // WorkingDaysLost (sickness, the year to the census date), ContractWeeks
      absent_at_census: 'bool', reason_absence: 'text', // Absat30Sept, ReasonAbsence
      team: 'text', // not in DfE's return; the CSV may carry it
    },
  },
  csww_vacancies: {
    description: 'Children\'s social work workforce return (DfE CSWW) LALevelVacancies: vacancies and agency workers at the census date',
    key: ['census_date'],
    columns: {
      census_date: 'date', vacancies_fte: 'real', // NumberOfVacancies (FTE)
      agency_fte: 'real', agency_headcount: 'int', // NoAgencyFTE, NoAgencyHeadcount
    },
  },
  survey_responses: {
    description: 'Answers to surveys of children, families and staff (early help exit surveys, children\'s feedback), one row per answer',
    key: ['survey', 'response_id', 'question'],
    columns: {
      survey: 'text', response_id: 'text', response_date: 'date', question: 'text', answer: 'text',
      child_id: 'text', team: 'text',
    },
  },
  population: {
    description: 'Children aged 0–17 resident in the authority (ONS mid-year estimates or user-supplied)',
    key: ['la_code', 'year', 'age', 'sex'],
    columns: { la_code: 'text', year: 'int', age: 'int', sex: 'text', count: 'int' },
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

type TsOf<C> = C extends 'int' | 'real' ? number : C extends 'bool' ? boolean : string;
/** A canonical row of table T: every column present, null where unknown. */
export type Row<T extends TableName> = {
  -readonly [K in keyof (typeof TABLES)[T]['columns']]: TsOf<(typeof TABLES)[T]['columns'][K]> | null;
};

export function columnsOf(table: TableName): string[] {
  return Object.keys(TABLES[table].columns);
}

/**
 * Orders rows by the table's record key, nulls first (ids are fixed width and dates ISO, so text order
 * is right). Used wherever output must be deterministic.
 */
export function compareByKey(table: TableName) {
  const key: readonly string[] = TABLES[table].key;
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    for (const k of key) {
      const x = a[k], y = b[k];
      if (x === y) continue;
      if (x === null || x === undefined) return -1;
      if (y === null || y === undefined) return 1;
      return x < y ? -1 : 1;
    }
    return 0;
  };
}

/** A row of table T with every column set to null, for readers to fill in. */
export function emptyRow<T extends TableName>(table: T): Row<T> {
  const row: Record<string, null> = {};
  for (const c of columnsOf(table)) row[c] = null;
  return row as Row<T>;
}

export type { ColumnType, TableSpec };
