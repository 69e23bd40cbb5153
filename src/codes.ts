// DfE code lists used by the CIN census and SSDA903 returns, with the meaning of each code.
// Sources: DfE "Children in need census: guide" code sets (2023-24 onwards) and the
// "Children looked after return (SSDA903): guide" 2024-25. Codes are kept exactly as DfE writes them.

export type CodeList = Readonly<Record<string, string>>;

export const ETHNICITY: CodeList = {
  WBRI: 'White British', WIRI: 'White Irish', WIRT: 'Traveller of Irish heritage', WOTH: 'Any other White background',
  WROM: 'Gypsy/Roma', MWBC: 'White and Black Caribbean', MWBA: 'White and Black African', MWAS: 'White and Asian',
  MOTH: 'Any other mixed background', AIND: 'Indian', APKN: 'Pakistani', ABAN: 'Bangladeshi', AOTH: 'Any other Asian background',
  BCRB: 'Black Caribbean', BAFR: 'Black African', BOTH: 'Any other Black background', CHNE: 'Chinese',
  OOTH: 'Any other ethnic group', REFU: 'Refused', NOBT: 'Information not yet obtained',
};

/** DfE's major ethnic groups (Chinese is counted with other ethnic groups, as in DfE's older tables). */
export function ethnicGroup(code: string | null): string {
  if (!code || code === 'REFU' || code === 'NOBT') return 'Refused or not obtained';
  if (code.startsWith('W')) return 'White';
  if (code.startsWith('M')) return 'Mixed';
  if (code.startsWith('A')) return 'Asian or Asian British';
  if (code.startsWith('B')) return 'Black or Black British';
  return 'Other ethnic group';
}

/** CIN census Sex (2024 onwards); older returns use GenderCurrent 1/2/0/9 and SSDA903 uses SEX 1/2. */
export const SEX: CodeList = { M: 'Male', F: 'Female', U: 'Unknown' };

export const DISABILITY: CodeList = {
  NONE: 'No disability', MOB: 'Mobility', HAND: 'Hand function', PC: 'Personal care', INC: 'Incontinence',
  COMM: 'Communication', LD: 'Learning', HEAR: 'Hearing', VIS: 'Vision', BEH: 'Behaviour', CON: 'Consciousness',
  AUT: 'Autism/Asperger syndrome', DDA: 'Other DDA',
};

export const REFERRAL_SOURCE: CodeList = {
  '1A': 'Individual: family member/relative/carer', '1B': 'Individual: acquaintance', '1C': 'Individual: self',
  '1D': 'Individual: other', '2A': 'Schools', '2B': 'Education services', '3A': 'Health services: GP',
  '3B': 'Health services: health visitor', '3C': 'Health services: school nurse', '3D': 'Health services: other primary health',
  '3E': 'Health services: A&E', '3F': 'Health services: other', '4': 'Housing', '5A': 'LA services: social care',
  '5B': 'LA services: other internal', '5C': 'LA services: external', '5D': 'LA services: early help', '6': 'Police',
  '7': 'Other legal agency', '8': 'Other', '9': 'Anonymous', '10': 'Unknown',
};

/** Broad groups of referral source used by scorecards ("police contacts converting"). */
export function referralSourceGroup(code: string | null): string {
  if (!code || code === '10') return 'Unknown'; // '10' is Unknown, not an individual
  if (code.startsWith('1')) return 'Individual';
  if (code.startsWith('2')) return 'Education';
  if (code.startsWith('3')) return 'Health';
  if (code === '4') return 'Housing';
  if (code.startsWith('5')) return 'LA services';
  if (code === '6') return 'Police';
  if (code === '7') return 'Other legal agency';
  if (code === '9') return 'Anonymous';
  return 'Other';
}

export const PRIMARY_NEED: CodeList = {
  N0: 'Not stated', N1: 'Abuse or neglect', N2: "Child's disability or illness", N3: 'Parental illness or disability',
  N4: 'Family in acute stress', N5: 'Family dysfunction', N6: 'Socially unacceptable behaviour', N7: 'Low income',
  N8: 'Absent parenting', N9: 'Cases other than children in need',
};

export const REASON_FOR_CLOSURE: CodeList = {
  RC1: 'Adopted', RC2: 'Died', RC3: 'Child arrangements order', RC4: 'Special guardianship order',
  RC5: 'Transferred to services of another local authority', RC6: 'Transferred to adult social services',
  RC7: 'Services ceased for any other reason, including child no longer in need',
  RC8: 'Case closed after assessment, no further action', RC9: 'Case closed after assessment, referred to early help',
};

export const CATEGORY_OF_ABUSE: CodeList = {
  NEG: 'Neglect', PHY: 'Physical abuse', SAB: 'Sexual abuse', EMO: 'Emotional abuse', MUL: 'Multiple',
};

export const ASSESSMENT_FACTORS: CodeList = {
  '1A': 'Alcohol misuse: child', '1B': 'Alcohol misuse: parent', '1C': 'Alcohol misuse: other person',
  '2A': 'Drug misuse: child', '2B': 'Drug misuse: parent', '2C': 'Drug misuse: other person',
  '3A': 'Domestic abuse: child', '3B': 'Domestic abuse: parent', '3C': 'Domestic abuse: other person',
  '4A': 'Mental health: child', '4B': 'Mental health: parent', '4C': 'Mental health: other person',
  '5A': 'Learning disability: child', '5B': 'Learning disability: parent', '5C': 'Learning disability: other person',
  '6A': 'Physical disability or illness: child', '6B': 'Physical disability or illness: parent',
  '6C': 'Physical disability or illness: other person', '7A': 'Young carer', '8B': 'Privately fostered: overseas',
  '8C': 'Privately fostered: UK family', '8D': 'Privately fostered: UK other', '8E': 'Privately fostered: other',
  '8F': 'Privately fostered', '9A': 'Unaccompanied asylum-seeking child', '10A': 'Missing', '11A': 'Child sexual exploitation',
  '12A': 'Trafficking', '13A': 'Gangs', '14A': 'Socially unacceptable behaviour', '15A': 'Self-harm',
  '16A': 'Abuse or neglect: neglect', '17A': 'Abuse or neglect: emotional abuse', '18B': 'Abuse or neglect: physical abuse by a child',
  '18C': 'Abuse or neglect: physical abuse by an adult', '19B': 'Abuse or neglect: sexual abuse by a child',
  '19C': 'Abuse or neglect: sexual abuse by an adult', '20': 'Other', '21': 'No factors identified',
  '22A': 'Female genital mutilation', '23A': 'Abuse linked to faith or belief', '24A': 'Child criminal exploitation',
};

/** Assessment factors grouped as scorecards report them ("factors identified at assessment"). */
export const FACTOR_GROUPS: Readonly<Record<string, readonly string[]>> = {
  'Domestic abuse': ['3A', '3B', '3C'],
  'Mental health': ['4A', '4B', '4C'],
  'Alcohol misuse': ['1A', '1B', '1C'],
  'Drug misuse': ['2A', '2B', '2C'],
  'Child sexual exploitation': ['11A'],
  'Child criminal exploitation': ['24A'],
  'Neglect': ['16A'],
  'Emotional abuse': ['17A'],
};

// SSDA903 codes.
export const LEGAL_STATUS: CodeList = {
  C1: 'Interim care order', C2: 'Full care order', D1: 'Freeing order granted', E1: 'Placement order granted',
  J1: 'Remanded to local authority accommodation or youth detention accommodation',
  J2: 'Placed in local authority accommodation under PACE', J3: 'Sentenced to supervision order with residence requirement',
  L1: 'Under police protection and in local authority accommodation', L2: 'Emergency protection order',
  L3: 'Under child assessment order and in local authority accommodation',
  V2: 'Single period of accommodation under section 20', V3: 'Accommodated under an agreed series of short-term breaks (individual)',
  V4: 'Accommodated under an agreed series of short-term breaks (multiple)',
};

/** Legal status as scorecards group it: section 20, care order, placement order, other. */
export function legalStatusGroup(code: string | null): string {
  switch (code) {
    case 'V2': case 'V3': case 'V4': return 'Section 20';
    case 'C1': case 'C2': return 'Care order';
    case 'E1': case 'D1': return 'Placement order';
    case 'J1': case 'J2': case 'J3': return 'Youth justice';
    case 'L1': case 'L2': case 'L3': return 'Emergency or police protection';
    default: return 'Unknown';
  }
}

export const REASON_NEW_EPISODE: CodeList = {
  S: 'Started to be looked after', L: 'Change of legal status only', P: 'Change of placement and carer(s) only',
  T: 'Change of both legal status and placement', B: 'Change of placement (but same carer(s)) only',
  U: 'Change of both legal status and placement (but same carer(s))',
};

export const PLACEMENT_TYPE: CodeList = {
  A3: 'Placed for adoption with parental/guardian consent with current foster carer(s)',
  A4: 'Placed for adoption with parental/guardian consent not with current foster carer(s)',
  A5: 'Placed for adoption with placement order with current foster carer(s)',
  A6: 'Placed for adoption with placement order not with current foster carer(s)',
  H5: 'Semi-independent living accommodation', K1: 'Secure children\'s home', K2: 'Children\'s home',
  K3: 'Supported accommodation', P1: 'Placed with own parent(s) or other person(s) with parental responsibility',
  P2: 'Independent living', P3: 'Residential employment', R1: 'Residential care home', R2: 'NHS/health trust',
  R3: 'Family centre or mother and baby unit', R5: 'Young offender institution', S1: 'All residential schools',
  T0: 'Temporary: all types', T1: 'Temporary: foster placement', T2: 'Temporary: residential', T3: 'Temporary: holiday', T4: 'Temporary: other',
  U1: 'Foster placement with relative or friend: long term fostering', U2: 'Foster placement with relative or friend who is also an approved adopter: FFA',
  U3: 'Foster placement with relative or friend: not long term or FFA', U4: 'Foster placement with other foster carer: long term fostering',
  U5: 'Foster placement with other foster carer who is also an approved adopter: FFA', U6: 'Foster placement with other foster carer: not long term or FFA',
  Z1: 'Other placement',
};

export const PLACEMENT_PROVIDER: CodeList = {
  PR0: 'Parent(s) or other person(s) with parental responsibility', PR1: 'Own provision (by the LA)',
  PR2: 'Other LA provision', PR3: 'Other public provision', PR4: 'Private provision', PR5: 'Voluntary/third sector provision',
};

/** Placement groups used in scorecards: in-house fostering, IFA, residential, placed with parents, adoption, other. */
export function placementGroup(place: string | null, provider: string | null): string {
  if (!place) return 'Unknown';
  if (place.startsWith('U')) return provider === 'PR4' || provider === 'PR5' ? 'Independent fostering agency' : 'In-house fostering';
  if (place.startsWith('A')) return 'Placed for adoption';
  if (['K1', 'K2', 'R1', 'S1'].includes(place)) return 'Residential';
  if (place === 'P1') return 'Placed with parents';
  if (['H5', 'P2', 'K3'].includes(place)) return 'Independent and semi-independent living';
  return 'Other';
}

export const CATEGORY_OF_NEED = PRIMARY_NEED;

export const REASON_EPISODE_CEASED: CodeList = {
  X1: 'Episode ceases and new episode begins on same day', E11: 'Adopted: application unopposed', E12: 'Adopted: consent dispensed with',
  E13: 'Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility',
  E14: 'Accommodation on remand ended', E15: 'Age assessment determined child aged 18 or over', E16: 'Child moved abroad',
  E17: 'Aged 18 or over and remained with current carers (staying put)', E2: 'Died', E3: 'Care taken by another LA',
  E4A: 'Returned home to live with parent(s) as part of the care planning process',
  E4B: 'Returned home to live with parent(s) not as part of the care planning process',
  E41: 'Child arrangements order granted', E43: 'Special guardianship order made to former foster carer(s)',
  E44: 'Special guardianship order made to carer(s) other than former foster carer(s)',
  E45: 'Special guardianship order made to former foster carer(s), other than relative(s) or friend(s)',
  E46: 'Special guardianship order made to former foster carer(s), who are relative(s) or friend(s)',
  E47: 'Special guardianship order made to carer(s), other than relative(s) or friend(s), not former foster carers',
  E48: 'Special guardianship order made to carer(s), who are relative(s) or friend(s), not former foster carers',
  E5: 'Moved into independent living arrangement with supportive accommodation',
  E6: 'Moved into independent living arrangement without formalised support',
  E7: 'Transferred to residential care funded by adult social care services', E8: 'Period of being looked after ceased for any other reason',
  E9: 'Sentenced to custody',
};

export const REASON_PLACE_CHANGE: CodeList = {
  ALLEG: 'Allegation', APPRR: 'Approval removed', CARPL: 'Change to care plan', CHILD: "Child's wishes",
  CLOSE: 'Provider closed', CREQB: 'Carer requests: behaviour', CREQO: 'Carer requests: other', CUSTOD: 'Custody',
  LAREQ: 'LA request', OTHER: 'Other', PLACE: 'Change of placement type', STAND: 'Standards of care concern',
};

export const REVIEW_PARTICIPATION: CodeList = {
  PN0: 'Child aged under 4', PN1: 'Child attended and spoke for themselves', PN2: 'Child attended, advocate spoke',
  PN3: 'Child attended, conveyed views non-verbally', PN4: 'Child attended, did not speak', PN5: 'Child did not attend, views conveyed by advocate',
  PN6: 'Child did not attend, views conveyed by another method', PN7: 'Child did not attend and views not conveyed',
};

export const CARE_LEAVER_IN_TOUCH: CodeList = {
  YES: 'In touch', NO: 'Not in touch', DIED: 'Died', REFU: 'Refuses contact', NREQ: 'No longer requires services',
  RHOM: 'Returned home',
};

export const CARE_LEAVER_ACTIVITY: CodeList = {
  F1: 'Full time in higher education', P1: 'Part time in higher education', F2: 'Full time in other education',
  P2: 'Part time in other education', F4: 'Full time in training or employment', P4: 'Part time in training or employment',
  F5: 'Full time apprenticeship', P5: 'Part time apprenticeship', G4: 'Not in education, employment or training: illness or disability',
  G5: 'Not in education, employment or training: other', G6: 'Not in education, employment or training: pregnancy or parenting',
};

/** OC3 ACCOM: a letter for the type and 1 (suitable) or 2 (not suitable); '0' = not known. */
const ACCOMMODATION_TYPES: Record<string, string> = {
  B: 'With parents or relatives', C: 'Community home', D: 'Semi-independent, transitional', E: 'Supported lodgings',
  G: 'Gone abroad', H: 'Deported', K: 'Ordinary lodgings', R: 'Residence not known', S: 'No fixed abode/homeless',
  T: 'Foyers', U: 'Independent living', V: 'Emergency accommodation', W: 'Bed and breakfast', X: 'In custody',
  Y: 'Other accommodation', Z: 'With former foster carers',
};
export const CARE_LEAVER_ACCOMMODATION: CodeList = Object.fromEntries([
  ['0', 'Not known'],
  ...Object.entries(ACCOMMODATION_TYPES).flatMap(([k, v]) => [[`${k}1`, `${v}: suitable`], [`${k}2`, `${v}: not suitable`]]),
]);

export const MISSING_TYPE: CodeList = { M: 'Missing', A: 'Away from placement without authorisation' };

export const SDQ_REASON: CodeList = {
  SDQ1: 'No form returned as child was aged under 4 or over 17', SDQ2: 'Carer refused', SDQ3: 'Not possible due to severity of disability',
  SDQ4: 'Other', SDQ5: 'Child or young person refuses',
};

export const PREVIOUS_PERMANENCE: CodeList = {
  P1: 'Adoption', P2: 'Special guardianship order', P3: 'Residence order or child arrangements order', Z1: 'None or not known',
};

export const CONTACT_OUTCOMES = ['referral', 'early_help', 'nfa', 'information'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

export const VISIT_TYPES = ['CIN', 'CP', 'LAC'] as const;
