// The synthetic local authority: simulates each child's journey through children's social care, from the
// contact at the front door to leaving care, and returns it as canonical tables (model.ts). The same options
// always give the same tables: every random draw comes from a stream seeded by options.seed (random.ts).
//
// How it stays fast: nothing is simulated day by day. Arrivals (a child's first referral, contacts that
// go no further) are drawn as a count for the whole history, then dated by sampling a seasonal calendar;
// each child's journey is a chain of referrals whose dates (assessment, S47, plans, care, leaving care) are
// drawn directly from distributions. Only children who touch the service exist; everyone else is the
// population table. The history runs from `start` (= end − years + 1 day) to `end`, after a warm-up of
// WARM_UP_YEARS so that plans and episodes already open on the first day (children in care for years) exist.
// Records wholly before `start` are dropped; dates after `end` are cut (an open plan has no end date).
//
// Rates are tuned to England 2024-25 (DfE "Children in need" and "Children looked after in England"):
// referrals ~540 per 10,000 a year, re-referrals within 12 months 22.6%, assessments within 45 working days
// 85.7%, S47 enquiries ~180 per 10,000 a year of which ~38% lead to an ICPC, ICPCs within 15 working days
// 81.4%, CP plans ending after 2+ years 4.4% (~2–3% of open plans open 2 years or more), second or subsequent
// plans ~23%, children in need ~330, on CP plans ~40 and looked after ~67 per 10,000 at 31 March; CIN visits
// mostly within 20 working days. The workforce: an average caseload of ~17 children per case-holding social
// worker (none far above 25–30) and ~17.5% of the workers in post from agencies (DfE workforce statistics).
// Brothers and sisters share a family id.
//
// A few rare outcomes that the headline rates rest on (plans lasting two years, a previous plan elsewhere,
// placement instability) are dealt by quota rather than by coin toss (see quotaTurn), so that an authority
// of 50,000 children shows each at close to its intended rate, as a real one of that size roughly does.
//
// Child ids are 7-digit strings (8 or more for very large authorities), zero-padded, so about one in ten
// begins with 0: a reader that turns ids into numbers breaks them, as it would an authority's real ids.
import { addMonths, addYears, FIRST_DATE, isWorkingDay, LAST_DATE } from '../calendar.ts';
import { TABLES, TABLE_NAMES, compareByKey, type Row, type TableName } from '../model.ts';
import { addSupervisions } from './writeWorkforce.ts';
import { normalQuantile, Random, weights, WeightedTable } from './random.ts';
import type { SynthOptions, SyntheticLA, Tables } from './types.ts';

export const DEFAULT_SYNTH_OPTIONS: SynthOptions = {
  population: 50_000,
  years: 3,
  end: '2025-03-31', // fixed, so that the default is deterministic; the CLI passes others
  seed: 7,
  teams: 8,
  workersPerTeam: 0, // 0: posts in each team follow from the population (see CASELOAD_TARGET)
  faultRate: 0.01,
  laCode: '999',
  laName: 'Northshire (synthetic)',
};

// ---------------------------------------------------------------------------------------------------
// Rates and distributions. Each is per 10,000 children, a probability, or a distribution of days.

const WARM_UP_YEARS = 20;
/** new children referred for the first time, per 10,000 children a year (re-referrals come on top) */
const FIRST_REFERRALS_PER_10K = 320;
/** children whose contacts never become a referral, per 10,000 a year */
const CONTACT_ONLY_CHILDREN_PER_10K = 1060;
/** unaccompanied asylum-seeking children arriving, per 10,000 a year */
const UASC_PER_10K = 1.5;

const P_REFERRAL_NFA = 0.075;
// S47 enquiries ~180 per 10,000 a year, of which ~37% lead to an ICPC (England: S47s 170–190 per 10,000 a
// year, ICPCs ~65, so ~40% of enquiries)
const P_S47 = 0.27; // of assessed referrals; with escalations from CIN plans, ~33% of all referrals
const P_S47_AFTER_PLAN = 1.0; // multiplier for children who have been on a plan before
const P_ICPC = 0.37;
const P_ICPC_PLAN = 0.75;
const P_NEEDS_SUPPORT = 0.64; // assessments without S47 concluding the child needs support
const P_NEEDS_SUPPORT_S47 = 0.8;
const P_CIN_PLAN = 0.78;
const P_ESCALATE_FROM_CIN = 0.09;
const P_EMERGENCY_CARE = 0.0215; // of S47s: the child is removed during the enquiry
const P_CARE_FROM_CP = 0.12;
const P_CARE_FROM_CIN = 0.028;
const P_STEP_DOWN_AFTER_CP = 0.55;
const P_CIN_AFTER_CARE = 0.45;
/** cases closed when a plan ends (no care) that are stepped down to early help, after a CIN plan and a CP plan */
const P_EARLY_HELP_AFTER_CIN = 0.15;
const P_EARLY_HELP_AFTER_CP = 0.15;
const P_OTHER_LA_PLAN = 0.13; // first plan here, but a plan before in another authority
/** CP plan lengths: the share lasting two years or more, and the median and spread (of the log) of the rest */
const P_CP_LONG = 0.046;
const CP_MEDIAN_DAYS = 205;
const CP_SIGMA = 0.6;
/** how many reviews after the second anniversary a long plan runs on for: ends at that review (0), the next … */
const CP_LONG_EXTRA_REVIEWS = new WeightedTable<number>([[0, 0.35], [1, 0.4], [2, 0.25]]);
/** probability of a new referral after an episode closes, by how it closed */
const P_REREFERRAL: Record<EpisodeEnd, number> = {
  nfa: 0.52, assessed: 0.5, cin: 0.42, cp: 0.42, care: 0.4, final: 0,
};
const REALLOCATION_MEAN_DAYS = 420;

// The workforce. Unless workersPerTeam is given, each team has as many case-holding posts as keep the average
// caseload near CASELOAD_TARGET (DfE workforce statistics: ~16 children per case-holding social worker), from
// the children each service holds at a date, per 10,000 children (measured on the default authority), plus
// a team manager and, in large teams, assistant team managers (who hold no children). The front door's
// practitioners hold each contact until it is decided, so they are staffed by contacts, not caseload.
const CASELOAD_TARGET = 17;
const HELD_PER_10K: Record<Service, number> = {
  'front door': 0, assessment: 63, locality: 147, 'children in care': 64, 'care leavers': 34, disabilities: 46,
};
const FRONT_DOOR_POSTS_PER_10K = 1.2;
/** case-holding posts per assistant team manager */
const POSTS_PER_ASSISTANT_MANAGER = 8;
/** agency workers' share of the workers in post (England: 17.8% at 30 September 2023; managers included) */
const AGENCY_SHARE = 0.175;
/** chance a case-holding post is filled by an agency worker when the share is at target (agency spells are short) */
const AGENCY_HIRE = 0.45;
/** a worker's choice of the least loaded of this many colleagues in post when a child is allocated */
const ALLOCATION_CHOICES = 3;
/** family sizes: children of one family known to social care */
const FAMILY_SIZE = new WeightedTable<number>([[1, 0.55], [2, 0.25], [3, 0.12], [4, 0.05], [5, 0.03]]);
/** days a family stays open for siblings to join it, after its last child's first contact or referral */
const FAMILY_JOIN_DAYS = 45;
/** children whose first weeks in care take three placements (emergency, bridging, planned) */
const P_UNSETTLED_START = 0.19;
/** children settled in care (a year or more) who have a spell of two placement moves in a year */
const P_INSTABILITY_SPELL = 0.025;

/** age in whole years at a first referral (DfE CIN census 2024-25: under 1 ~12% incl. unborn, 10–15 ~33%) */
const AGE_AT_FIRST_REFERRAL = new WeightedTable<number>([
  [0, 12], [1, 4.75], [2, 4.75], [3, 4.75], [4, 4.75], [5, 4.8], [6, 4.8], [7, 4.8], [8, 4.8], [9, 4.8],
  [10, 5.5], [11, 5.5], [12, 5.5], [13, 5.5], [14, 5.5], [15, 5.5], [16, 5.5], [17, 4.5],
]);

/** looked-after rate multiplier by age: babies and teenagers come into care most often */
function careAgeFactor(age: number): number {
  if (age < 1) return 5;
  if (age < 5) return 1.0;
  if (age < 10) return 0.8;
  if (age < 13) return 0.85;
  if (age < 16) return 1.35;
  return 1.3;
}

const SEX = weights({ M: 0.512, F: 0.483, U: 0.005 });

/** ethnicity of children in England (school census 2024-25, rounded; WBRI ~70% of children in need) */
export const ETHNICITY_WEIGHTS = {
  WBRI: 69.5, WIRI: 0.3, WIRT: 0.2, WROM: 0.6, WOTH: 5.0, MWBC: 1.6, MWBA: 0.8, MWAS: 1.2, MOTH: 2.0,
  AIND: 2.4, APKN: 3.2, ABAN: 1.2, AOTH: 1.5, BCRB: 0.8, BAFR: 3.0, BOTH: 0.6, CHNE: 0.3, OOTH: 2.0,
  REFU: 0.3, NOBT: 1.5,
} as const;
const ETHNICITY = weights(ETHNICITY_WEIGHTS);
const UASC_ETHNICITY = weights({ OOTH: 0.32, AOTH: 0.3, BAFR: 0.33, BOTH: 0.05 });
export const P_DISABLED = 0.1;
const DISABILITY = weights({ AUT: 30, LD: 20, COMM: 15, BEH: 12, MOB: 6, HAND: 2, PC: 3, INC: 2, HEAR: 3, VIS: 2, CON: 2, DDA: 3 });

/** where contacts come from (brief: police ~30%, schools ~20%, health ~15%, individuals ~10%, LA ~10%) */
const REFERRAL_SOURCE_GROUP = weights({ police: 25, schools: 21, health: 16, individuals: 8, la: 14, other: 16 });
const CONTACT_SOURCE_GROUP = weights({ police: 31.6, schools: 19.7, health: 14.7, individuals: 10.6, la: 8.7, other: 14.7 });
const SOURCE_CODE: Record<string, WeightedTable<string>> = {
  police: weights({ '6': 1 }),
  schools: weights({ '2A': 0.9, '2B': 0.1 }),
  health: weights({ '3A': 0.2, '3B': 0.2, '3C': 0.1, '3D': 0.1, '3E': 0.25, '3F': 0.15 }),
  individuals: weights({ '1A': 0.6, '1B': 0.1, '1C': 0.15, '1D': 0.15 }),
  la: weights({ '5A': 0.4, '5B': 0.3, '5C': 0.2, '5D': 0.1 }),
  other: weights({ '4': 0.2, '7': 0.15, '8': 0.4, '9': 0.15, '10': 0.1 }),
};
const NON_REFERRAL_OUTCOME = weights({ early_help: 0.2, nfa: 0.48, information: 0.32 });
/** working days from receipt to the front-door decision */
const DECISION_WORKING_DAYS = new WeightedTable<number>([[0, 0.66], [1, 0.21], [2, 0.08], [3, 0.03], [4, 0.01], [5, 0.01]]);

const PRIMARY_NEED = weights({ N1: 0.56, N2: 0.07, N3: 0.03, N4: 0.09, N5: 0.15, N6: 0.03, N7: 0.004, N8: 0.04 });
const CP_CATEGORY = weights({ NEG: 0.48, EMO: 0.38, PHY: 0.07, SAB: 0.04, MUL: 0.03 });

/** assessment factors: probability each is identified in an assessment where the child needs support */
const FACTORS: [string, number, 'any' | 'teen'][] = [
  ['3B', 0.32, 'any'], ['3A', 0.12, 'any'], ['4B', 0.33, 'any'], ['4A', 0.1, 'any'], ['1B', 0.14, 'any'],
  ['2B', 0.16, 'any'], ['16A', 0.2, 'any'], ['17A', 0.22, 'any'], ['18C', 0.09, 'any'], ['19C', 0.04, 'any'],
  ['5B', 0.06, 'any'], ['6B', 0.05, 'any'], ['7A', 0.03, 'any'], ['11A', 0.08, 'teen'], ['24A', 0.08, 'teen'],
  ['10A', 0.08, 'teen'], ['15A', 0.1, 'teen'], ['14A', 0.06, 'teen'], ['2A', 0.05, 'teen'],
];

type Route = 'adoption' | 'sgo' | 'cao' | 'home' | 'relatives' | 'eighteen' | 'other';
/** how a period of care will end, by age at entry */
const ROUTE_BY_AGE: [number, WeightedTable<Route>][] = [
  [1, weights<Route>({ adoption: 0.34, sgo: 0.24, home: 0.25, cao: 0.04, relatives: 0.04, other: 0.05, eighteen: 0.04 })],
  [5, weights<Route>({ adoption: 0.2, sgo: 0.25, home: 0.32, cao: 0.05, relatives: 0.05, other: 0.06, eighteen: 0.07 })],
  [10, weights<Route>({ adoption: 0.02, sgo: 0.17, home: 0.3, cao: 0.05, relatives: 0.07, other: 0.07, eighteen: 0.32 })],
  [16, weights<Route>({ adoption: 0, sgo: 0.05, home: 0.3, cao: 0.02, relatives: 0.06, other: 0.07, eighteen: 0.5 })],
  [99, weights<Route>({ adoption: 0, sgo: 0, cao: 0, home: 0.26, relatives: 0.05, other: 0.07, eighteen: 0.62 })],
];

/** placement moves a year by placement type, before the child's own volatility */
const MOVE_RATE: Record<string, number> = {
  U1: 0.04, U2: 0.15, U3: 0.22, U4: 0.05, U5: 0.15, U6: 0.7, K2: 1.4, R1: 1.4, H5: 0.8, P1: 0.1,
  A3: 0.02, A4: 0.02, A5: 0.02, A6: 0.02,
};
const PLACE_CHANGE_REASON = weights({
  CARPL: 0.36, CREQB: 0.16, CREQO: 0.11, CHILD: 0.1, LAREQ: 0.08, STAND: 0.03, ALLEG: 0.03, APPRR: 0.02, CLOSE: 0.02, OTHER: 0.06, PLACE: 0.03,
});
const PROVIDER: Record<string, WeightedTable<string>> = {
  kin: weights({ PR1: 0.95, PR2: 0.05 }),
  foster: weights({ PR1: 0.58, PR4: 0.37, PR5: 0.03, PR2: 0.02 }),
  residential: weights({ PR4: 0.75, PR1: 0.15, PR5: 0.1 }),
  semi: weights({ PR4: 0.7, PR1: 0.2, PR5: 0.1 }),
  adoption: weights({ PR1: 0.55, PR2: 0.15, PR5: 0.3 }),
};
const OUT_OF_AREA = ['LS6', 'LS11', 'M14', 'M22', 'B23', 'B10', 'NE4', 'S10', 'HU3', 'DN4', 'WF1', 'BD5', 'HX1', 'YO24', 'DH1', 'TS5', 'SR2', 'L4', 'ST6', 'NG7'];
const POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const PARTICIPATION = weights({ PN1: 0.45, PN2: 0.05, PN3: 0.05, PN4: 0.05, PN5: 0.1, PN6: 0.2, PN7: 0.1 });

const CARE_LEAVER_ACTIVITY = weights({ F1: 5, P1: 1, F2: 22, P2: 4, F4: 18, P4: 8, F5: 3, P5: 1, G4: 7, G5: 25, G6: 6 });
const CARE_LEAVER_ACCOMMODATION = weights({
  U1: 22, Z1: 12, D1: 20, B1: 14, E1: 8, T1: 3, K1: 3, C1: 2, Y1: 4, S2: 2, V2: 2, W2: 1, X2: 2, R2: 1,
});
const CARE_LEAVER_IN_TOUCH = weights({ YES: 0.89, NO: 0.05, REFU: 0.02, NREQ: 0.03, RHOM: 0.01 });

const FIRST_NAMES = [
  'Amira', 'Ben', 'Chloe', 'Daniel', 'Eleanor', 'Farah', 'George', 'Hannah', 'Imran', 'Jess', 'Kieran', 'Laura',
  'Mohammed', 'Natalie', 'Owen', 'Priya', 'Rachel', 'Samuel', 'Tanya', 'Usman', 'Victoria', 'William', 'Yasmin',
  'Zoe', 'Aisha', 'Callum', 'Danielle', 'Emma', 'Fiona', 'Gareth', 'Helen', 'Jamal', 'Kate', 'Liam', 'Megan',
  'Nadia', 'Oliver', 'Paula', 'Ravi', 'Sophie', 'Tom', 'Amy', 'Bethany', 'Carl', 'Deborah', 'Grace', 'Joanne', 'Lucy',
];
const SURNAMES = [
  'Ahmed', 'Bennett', 'Clarke', 'Dawson', 'Ellis', 'Fletcher', 'Green', 'Hussain', 'Iqbal', 'Johnson', 'Khan',
  'Lawson', 'Mitchell', 'Nolan', 'Owens', 'Patel', 'Quinn', 'Robinson', 'Shah', 'Turner', 'Underwood', 'Walsh',
  'Young', 'Akhtar', 'Barker', 'Chapman', 'Dixon', 'Evans', 'Foster', 'Hughes', 'Jackson', 'Kaur', 'Lee', 'Moore',
  'Naylor', 'Okafor', 'Parker', 'Riley', 'Singh', 'Thompson', 'Wood', 'Begum', 'Holmes', 'Marsh', 'Pearson', 'Ward',
];

type Service = 'front door' | 'assessment' | 'locality' | 'children in care' | 'care leavers' | 'disabilities';
/** teams in the order an authority of that many teams would have them */
const TEAM_NAMES: [string, Service][] = [
  ['MASH', 'front door'], ['Assessment Team 1', 'assessment'], ['Locality North', 'locality'],
  ['Children in Care Team 1', 'children in care'], ['Care Leavers Team', 'care leavers'],
  ['Children with Disabilities Team', 'disabilities'], ['Assessment Team 2', 'assessment'], ['Locality South', 'locality'],
  ['Locality East', 'locality'], ['Children in Care Team 2', 'children in care'], ['Locality West', 'locality'],
  ['Assessment Team 3', 'assessment'], ['Locality Central', 'locality'], ['Children in Care Team 3', 'children in care'],
];
/** which service stands in when an authority has no team for one */
const SERVICE_FALLBACK: Record<Service, Service[]> = {
  'front door': ['assessment', 'locality'],
  assessment: ['front door', 'locality'],
  locality: ['assessment', 'front door'],
  'children in care': ['locality', 'assessment', 'front door'],
  'care leavers': ['children in care', 'locality', 'assessment', 'front door'],
  disabilities: ['locality', 'assessment', 'front door'],
};

// ---------------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01), converted to ISO strings only when a row is written.

const DAY_MS = 86_400_000;
const ISO_BASE = -25_567; // 1900-01-01
const isoCache: string[] = [];

function toDay(iso: string): number {
  return Math.round(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS);
}

function iso(day: number): string {
  const i = day - ISO_BASE;
  let s = isoCache[i];
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (i >= 0 && i < 100_000) isoCache[i] = s;
  }
  return s;
}

function isoOrNull(day: number | null): string | null {
  return day === null ? null : iso(day);
}

function timestamp(day: number, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${iso(day)}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
}

function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 0 = Sunday
}

/** Working days: the shared calendar's England and Wales bank holidays where it knows them, weekends elsewhere. */
class WorkingDays {
  private readonly lo: number;
  private readonly working: Uint8Array;
  private readonly cumulative: Int32Array;
  private readonly list: Int32Array;

  constructor(from: number, to: number) {
    const first = toDay(FIRST_DATE), last = toDay(LAST_DATE);
    this.lo = from;
    const n = to - from + 1;
    this.working = new Uint8Array(n);
    this.cumulative = new Int32Array(n);
    const list: number[] = [];
    let count = 0;
    for (let i = 0; i < n; i++) {
      const day = from + i;
      const w = day >= first && day <= last ? isWorkingDay(iso(day)) : weekday(day) !== 0 && weekday(day) !== 6;
      if (w) {
        this.working[i] = 1;
        list.push(i);
        count++;
      }
      this.cumulative[i] = count;
    }
    this.list = Int32Array.from(list);
  }

  isWorking(day: number): boolean {
    const i = day - this.lo;
    if (i >= 0 && i < this.working.length) return this.working[i] === 1;
    return weekday(day) !== 0 && weekday(day) !== 6;
  }

  /** as calendar.addWorkingDays: the nth working day after day (n > 0), or day itself for n = 0 */
  add(day: number, n: number): number {
    if (n === 0) return day;
    const i = day - this.lo;
    if (i >= 0 && i < this.working.length) {
      const k = n > 0 ? this.cumulative[i] + n - 1 : this.cumulative[i] - this.working[i] + n;
      if (k >= 0 && k < this.list.length) return this.list[k] + this.lo;
    }
    let d = day;
    let left = Math.abs(n);
    const step = n > 0 ? 1 : -1;
    while (left > 0) {
      d += step;
      if (this.isWorking(d)) left--;
    }
    return d;
  }

  /** the next working day on or after day */
  onOrAfter(day: number): number {
    return this.isWorking(day) ? day : this.add(day, 1);
  }
}

/** A calendar of how busy the front door is: fewer contacts in school holidays and at weekends. */
class Season {
  private readonly lo: number;
  private readonly weight: Float64Array;
  private readonly cumulative: Float64Array;
  readonly max: number;

  constructor(from: number, to: number, work: WorkingDays) {
    // month factors: August and late December quiet, September and November busy
    const MONTH = [1.0, 1.03, 1.05, 0.92, 1.02, 1.05, 1.0, 0.68, 1.12, 1.07, 1.15, 0.92];
    this.lo = from;
    const n = to - from + 1;
    this.weight = new Float64Array(n);
    this.cumulative = new Float64Array(n);
    let sum = 0, max = 0;
    for (let i = 0; i < n; i++) {
      const day = from + i;
      const d = iso(day);
      const month = Number(d.slice(5, 7));
      const dom = Number(d.slice(8, 10));
      let w = MONTH[month - 1];
      if ((month === 12 && dom >= 22) || (month === 1 && dom === 1)) w *= 0.45;
      if (month === 7 && dom >= 22) w *= 0.85; // schools break up
      if ((month === 10 && dom >= 24) || (month === 2 && dom >= 13 && dom <= 20) || (month === 5 && dom >= 26)) w *= 0.88; // half terms
      const wd = weekday(day);
      if (wd === 0) w *= 0.22;
      else if (wd === 6) w *= 0.27;
      else if (!work.isWorking(day)) w *= 0.3;
      this.weight[i] = w;
      sum += w;
      this.cumulative[i] = sum;
      if (w > max) max = w;
    }
    this.max = max;
  }

  /** a day drawn in proportion to its weight, within [from, to] of the constructor (or a sub-range) */
  sample(rng: Random, from = this.lo, to = this.lo + this.weight.length - 1): number {
    const a = from - this.lo, b = to - this.lo;
    const lowC = a > 0 ? this.cumulative[a - 1] : 0;
    const x = lowC + rng.next() * (this.cumulative[b] - lowC);
    let lo = a, hi = b;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.lo + lo;
  }

  /** relative busyness of a day, 0–1 of the busiest */
  relative(day: number): number {
    const i = day - this.lo;
    return i >= 0 && i < this.weight.length ? this.weight[i] / this.max : 0.8;
  }
}

// ---------------------------------------------------------------------------------------------------
// The people and the teams

interface Worker {
  id: string;
  name: string;
  team: Team;
  slot: Slot;
  role: string;
  agency: boolean;
  start: number;
  end: number; // Infinity while in post
}

/** A post, held by successive workers. */
interface Slot {
  team: Team;
  role: string;
  caseHolding: boolean;
  holders: Worker[];
  /** children allocated to the post's holder on each day from loadFrom to the end date (case-holding posts) */
  load: Uint16Array;
}

interface Team {
  id: string;
  name: string;
  service: Service;
  /** the posts: managers first */
  slots: Slot[];
  /** the posts that hold children */
  caseSlots: Slot[];
}

interface Family {
  id: string;
  area: number;
  homePostcode: string | null;
  ethnicity: string;
  risk: number;
  /** siblings still to join */
  left: number;
  /** the last day a sibling may join */
  until: number;
}

interface Allocation {
  worker: Worker;
  team: Team;
  start: number;
  end: number;
}

interface Child {
  id: string;
  index: number;
  dob: number;
  b18: number;
  sex: string;
  ethnicity: string;
  disabilities: string;
  uasc: boolean;
  /** how likely this child's family is to need protection or care, around 1 */
  risk: number;
  /** where in the authority the child lives: chooses the locality team */
  area: number;
  homePostcode: string | null;
  /** child protection plans so far, here and elsewhere */
  cpPlans: number;
  /** episodes (referrals) so far */
  episodes: number;
  /** shared with the child's brothers and sisters known to social care */
  familyId: string;
  allocations: Allocation[];
  kept: boolean;
  permanenceWritten: boolean;
  uascWritten: boolean;
  careLeaverYears: Set<number> | null;
  earlyHelpStarts: Set<number> | null;
}

type EpisodeEnd = 'nfa' | 'assessed' | 'cin' | 'cp' | 'care' | 'final';

interface CpPlan {
  referral: number;
  start: number;
  end: number;
  initial: string;
  latest: string;
  previous: number;
  reviews: number[];
  /** one of the longest plans: the child stays at home on the plan rather than coming into care */
  long: boolean;
}

interface Section47 {
  referral: number;
  start: number;
  icpc: number | null;
  notRequired: boolean;
  plan: boolean | null;
}

interface Placement {
  day: number;
  type: string;
  provider: string;
  postcode: string | null;
  urn: string;
  reason: string | null;
}

interface Care {
  decom: number;
  exit: number;
  reason: string;
  legal: [number, string][];
  placements: Placement[];
  need: string;
  /** the referral whose episode of need the period of care belongs to */
  referral: number;
  proceedings: { issued: number; final: number; order: string; preProceedings: boolean } | null;
  adoption: {
    decision: number; placementOrder: number; matched: number | null; placed: number | null; order: number | null;
    reversed: number | null; reversedReason: string | null; fosterCare: boolean;
  } | null;
}

// ---------------------------------------------------------------------------------------------------

type Fault = SyntheticLA['faults'][number];

function emptyTables(): Tables {
  const t: Partial<Record<TableName, unknown[]>> = {};
  for (const name of TABLE_NAMES) t[name] = [];
  return t as Tables;
}

function ageAt(child: Child, day: number): number {
  return (day - child.dob) / 365.25;
}

function clampInt(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(x)));
}

class Simulation {
  readonly o: SynthOptions;
  readonly startDay: number;
  readonly endDay: number;
  readonly t0: number;
  readonly work: WorkingDays;
  readonly season: Season;
  readonly tables: Tables = emptyTables();
  readonly faults: Fault[] = [];
  private readonly rng: Random;
  private readonly firstPlansInYear = new Map<number, number>();
  /** seeded phases for the quotas and the even spread of placement volatility */
  private readonly quotaPhase: number;
  private readonly cpStartsInBucket = new Map<number, number>();
  /** long-plan turns passed on by children too near 18, by bucket */
  private readonly cpLongOwed = new Map<number, number>();
  private readonly carePhase: number;
  private readonly careStartsInMonth = new Map<number, number>();
  private readonly unsettledInMonth = new Map<number, number>();
  private readonly spellsInYear = new Map<number, number>();
  private readonly teams: Team[] = [];
  private readonly children: Child[] = [];
  private childCounter = 0;
  private readonly idDigits: number;
  private readonly idModulus: number;
  private readonly idOffset: number;
  private readonly homes: { urn: string; postcode: string; type: string; provider: string }[] = [];
  /** first day of the slots' daily load */
  private readonly loadFrom: number;
  /** families open for brothers and sisters to join, the newest last */
  private families: Family[] = [];

  constructor(options: SynthOptions) {
    this.o = options;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.end)) throw new RangeError(`end '${options.end}' is not a date: expected YYYY-MM-DD`);
    if (!(options.population > 0) || !(options.years > 0)) throw new RangeError('population and years must be positive');
    this.endDay = toDay(options.end);
    this.startDay = toDay(addYears(options.end, -options.years)) + 1;
    this.t0 = toDay(addYears(iso(this.startDay), -WARM_UP_YEARS));
    this.work = new WorkingDays(this.t0 - 400, this.endDay + 366 * 25);
    this.season = new Season(this.t0 - 400, this.endDay, this.work);
    const root = new Random(`csc-synth:${options.seed}`);
    this.rng = root.fork('journeys');
    this.quotaPhase = root.fork('quotas').next();
    this.carePhase = root.fork('placement-volatility').next();
    const expected = options.population * (0.06 * (options.years + WARM_UP_YEARS) + 0.15 * (options.years + 1));
    this.idDigits = Math.max(7, Math.ceil(Math.log10(expected * 4)));
    this.idModulus = 10 ** this.idDigits;
    this.idOffset = root.fork('ids').int(0, this.idModulus - 1);
    this.loadFrom = this.startDay - 730;
    this.makeTeams(root.fork('workforce'));
    this.makeHomes(root.fork('homes'));
  }

  run(): SyntheticLA {
    const rng = this.rng;
    const perYear = (per10k: number) => (this.o.population / 10_000) * per10k;
    const span = (from: number) => (this.endDay - from + 1) / 365.25;

    // Children referred for the first time, over the whole history including the warm-up.
    const firsts: number[] = [];
    const n = rng.poisson(perYear(FIRST_REFERRALS_PER_10K) * span(this.t0));
    for (let i = 0; i < n; i++) firsts.push(this.season.sample(rng, this.t0, this.endDay));
    firsts.sort((a, b) => a - b);
    for (const day of firsts) this.chain(this.newChild(day, rng), day);

    // Unaccompanied asylum-seeking children: older boys, looked after straight away.
    const uascDays: number[] = [];
    const nu = rng.poisson(perYear(UASC_PER_10K) * span(this.t0));
    for (let i = 0; i < nu; i++) uascDays.push(this.season.sample(rng, this.t0, this.endDay));
    uascDays.sort((a, b) => a - b);
    for (const day of uascDays) this.chain(this.newChild(day, rng, true), day);

    // Children whose contacts never become a referral: only the last year before the start matters.
    this.families = [];
    const from = this.startDay - 400;
    const contactDays: number[] = [];
    const nc = rng.poisson(perYear(CONTACT_ONLY_CHILDREN_PER_10K) * span(from));
    for (let i = 0; i < nc; i++) contactDays.push(this.season.sample(rng, from, this.endDay));
    contactDays.sort((a, b) => a - b);
    for (const day of contactDays) this.contactOnly(this.newChild(day, rng), day);

    this.writeWorkforce();
    this.writePopulation();
    this.finish();
    return { options: this.o, start: iso(this.startDay), tables: this.tables, faults: this.faults };
  }

  // ---------------------------------------------------------------------------------------------------
  // Children

  private newChild(firstDay: number, rng: Random, uasc = false): Child {
    const age = uasc ? (rng.bernoulli(0.15) ? 15 : rng.bernoulli(0.55) ? 16 : 17) + rng.next() * 0.9 : AGE_AT_FIRST_REFERRAL.pick(rng) + rng.next();
    const dob = firstDay - Math.max(0, Math.floor(age * 365.25));
    const index = this.childCounter++;
    if (index >= this.idModulus) throw new RangeError('too many children for the id space');
    const idNumber = (index * 7_654_321 + this.idOffset) % this.idModulus;
    const disabled = !uasc && rng.bernoulli(P_DISABLED);
    const disabilities: string[] = [];
    if (disabled) {
      disabilities.push(DISABILITY.pick(rng));
      if (rng.bernoulli(0.3)) {
        const second = DISABILITY.pick(rng);
        if (!disabilities.includes(second)) disabilities.push(second);
      }
    }
    const id = String(idNumber).padStart(this.idDigits, '0');
    // brothers and sisters: a child joins a family whose first child came to notice in the last few weeks
    // (sharing its home, and mostly its ethnicity and risk), or starts a family of a drawn size
    let family: Family | null = null;
    if (!uasc) {
      while (this.families.length > 0 && (this.families[0].until < firstDay || this.families[0].left <= 0)) this.families.shift();
      const open = this.families.filter((f) => f.left > 0 && f.until >= firstDay);
      if (open.length > 0 && rng.bernoulli(0.5)) {
        family = open[rng.int(0, open.length - 1)];
        family.left--;
        family.until = firstDay + FAMILY_JOIN_DAYS;
      }
    }
    const area = family?.area ?? rng.next();
    const homePostcode = uasc ? null : family?.homePostcode ?? `NS${1 + Math.floor(area * 14)} ${rng.int(1, 9)}${rng.pick([...POSTCODE_LETTERS])}${rng.pick([...POSTCODE_LETTERS])}`;
    const ethnicity = uasc ? UASC_ETHNICITY.pick(rng) : family && rng.bernoulli(0.9) ? family.ethnicity : ETHNICITY.pick(rng);
    // a sibling's risk is correlated with the family's (0.7 on the log scale), with the same spread
    const z = rng.normal(0, 0.45);
    const risk = Math.exp((family ? 0.7 * (Math.log(family.risk) + 0.1) + 0.714 * z : z) - 0.1);
    if (!uasc && !family) {
      const size = FAMILY_SIZE.pick(rng);
      if (size > 1) this.families.push({ id: `FAM${id}`, area, homePostcode, ethnicity, risk, left: size - 1, until: firstDay + FAMILY_JOIN_DAYS });
    }
    return {
      id,
      index,
      dob,
      b18: toDay(addYears(iso(dob), 18)),
      sex: uasc ? (rng.bernoulli(0.93) ? 'M' : 'F') : SEX.pick(rng),
      ethnicity,
      disabilities: disabilities.sort().join(','),
      uasc,
      risk,
      area,
      homePostcode,
      cpPlans: 0,
      episodes: 0,
      familyId: family?.id ?? `FAM${id}`,
      allocations: [],
      kept: false,
      permanenceWritten: false,
      uascWritten: false,
      careLeaverYears: null,
      earlyHelpStarts: null,
    };
  }

  private birthday(child: Child, age: number): number {
    return toDay(addYears(iso(child.dob), age));
  }

  private emit<T extends TableName>(table: T, row: Row<T>, child: Child | null): void {
    (this.tables[table] as Row<T>[]).push(row);
    if (child && !child.kept) {
      child.kept = true;
      this.children.push(child);
    }
  }

  private inWindow(day: number): boolean {
    return day >= this.startDay && day <= this.endDay;
  }

  /** a date after the end of the simulation is not yet known */
  private clip(day: number | null): number | null {
    return day === null || day > this.endDay ? null : day;
  }

  // ---------------------------------------------------------------------------------------------------
  // The front door

  /** A contact about the child received on day; writes it if in the window and returns the decision day. */
  private contact(child: Child, received: number, outcome: string, referral: boolean): { decision: number; source: string } {
    const rng = this.rng;
    const group = (referral ? REFERRAL_SOURCE_GROUP : CONTACT_SOURCE_GROUP).pick(rng);
    const source = SOURCE_CODE[group].pick(rng);
    const outOfHours = rng.bernoulli(group === 'police' ? 0.35 : 0.06);
    const minutes = outOfHours
      ? (rng.bernoulli(0.5) ? rng.int(18 * 60, 23 * 60 + 59) : rng.int(0, 7 * 60 + 59))
      : rng.int(8 * 60 + 30, 17 * 60 + 30);
    const base = this.work.isWorking(received) && minutes < 17 * 60 ? received : this.work.add(received, 1);
    const decision = this.work.add(base, DECISION_WORKING_DAYS.pick(rng));
    const decidedAt = decision === received
      ? Math.min(17 * 60 + rng.int(0, 75), Math.max(minutes, 8 * 60 + 30) + rng.int(15, 5 * 60))
      : rng.int(9 * 60, 17 * 60 + 30);
    // a front-door practitioner holds the child from a contact not decided on the day it came in until it is
    // decided (a referral passes to the assessment team on the day)
    const frontDoor = this.teamFor('front door', child);
    if (decision > received && received < child.b18 && decision >= this.loadFrom) this.hold(child, 'front door', received, referral ? decision : decision + 1);
    if (this.inWindow(received) && received < child.b18) {
      const known = decision <= this.endDay;
      const held = this.allocationAt(child, received);
      const worker = known ? (held?.team === frontDoor ? held.worker : this.pickWorker(frontDoor, decision)) : null;
      this.emit('contacts', {
        contact_id: '', // numbered in date order at the end
        child_id: child.id,
        received_at: timestamp(received, minutes),
        source,
        decision_at: known ? timestamp(decision, decidedAt) : null,
        outcome: known ? outcome : null,
        team: frontDoor.name,
        worker: worker?.name ?? null,
      }, child);
    }
    if (outcome === 'early_help') this.earlyHelp(child, decision + rng.int(0, 14), false);
    return { decision, source };
  }

  private nonReferralContact(child: Child, day: number): void {
    if (day < child.dob || day >= child.b18 || day < this.startDay - 30 || day > this.endDay) return;
    this.contact(child, day, NON_REFERRAL_OUTCOME.pick(this.rng), false);
  }

  private contactOnly(child: Child, first: number): void {
    const rng = this.rng;
    const days = [first];
    const more = rng.poisson(0.38);
    for (let i = 0; i < more; i++) days.push(first + rng.int(7, 400));
    days.sort((a, b) => a - b);
    for (const d of days) this.nonReferralContact(child, d);
    this.writeAllocations(child);
  }

  private earlyHelp(child: Child, start: number, stepDown: boolean): void {
    const rng = this.rng;
    if (start >= child.b18 || start > this.endDay) return;
    const completion = start + Math.max(5, Math.round(rng.lognormal(31, 0.5)));
    if (completion < this.startDay) return;
    child.earlyHelpStarts ??= new Set();
    if (child.earlyHelpStarts.has(start)) return;
    child.earlyHelpStarts.add(start);
    const partner = rng.bernoulli(0.55);
    this.emit('early_help', {
      child_id: child.id,
      start_date: iso(start),
      completion_date: isoOrNull(this.clip(completion)),
      organisation: partner
        ? rng.pick(['School', 'Health visiting service', 'School nursing', 'Voluntary sector', 'Youth service', 'Police'])
        : rng.pick(['Early help service', 'Family hub']),
      completed_by: partner ? 'partner' : 'la',
      step_down: stepDown,
      family_id: child.familyId,
    }, child);
  }

  // ---------------------------------------------------------------------------------------------------
  // A child's chain of referrals

  private chain(child: Child, firstReceived: number): void {
    this.referrals(child, firstReceived);
    this.writeAllocations(child);
  }

  private referrals(child: Child, firstReceived: number): void {
    const rng = this.rng;
    // contacts that went nowhere before the first referral
    const before = rng.poisson(0.45);
    for (let i = 0; i < before; i++) this.nonReferralContact(child, firstReceived - rng.int(14, 540));
    let received = firstReceived;
    for (;;) {
      if (received >= child.b18 - 30) return;
      const { closure, end } = this.episode(child, received);
      if (end === 'final' || closure >= this.endDay || closure >= child.b18) return;
      if (!rng.bernoulli(P_REREFERRAL[end] * Math.min(1.6, child.risk))) {
        const after = rng.poisson(0.3);
        for (let i = 0; i < after; i++) this.nonReferralContact(child, closure + rng.int(7, 540));
        return;
      }
      let next = 0;
      for (let tries = 0; tries < 20; tries++) {
        const delay = rng.bernoulli(0.7) ? 7 + rng.exponential(90) : rng.uniform(180, 1500);
        next = closure + Math.round(delay);
        if (rng.next() < this.season.relative(next)) break;
      }
      const between = rng.poisson(0.3);
      for (let i = 0; i < between; i++) {
        const d = closure + rng.int(1, Math.max(1, next - closure - 1));
        if (d < next) this.nonReferralContact(child, d);
      }
      if (next > this.endDay) return;
      received = next;
    }
  }

  /**
   * One referral and the episode of need it opens: assessment, S47 and conference, CIN or CP plan, care.
   * Computes every date first, then allocates workers for each phase, then writes the rows.
   */
  private episode(child: Child, received: number): { closure: number; end: EpisodeEnd } {
    const rng = this.rng;
    const work = this.work;
    const firstUasc = child.uasc && child.episodes === 0;
    child.episodes++;
    const contact = this.contact(child, received, 'referral', true);
    const ref = contact.decision;
    const b18 = child.b18;
    const age = ageAt(child, ref);
    const careFactor = careAgeFactor(age) * child.risk;
    let need: string = firstUasc ? 'N8' : child.disabilities && rng.bernoulli(0.55) ? 'N2' : PRIMARY_NEED.pick(rng);
    // a referral within three months of the 18th birthday goes no further here (adult services, leaving care)
    const nfa = !firstUasc && (ref >= b18 - 90 || rng.bernoulli(P_REFERRAL_NFA));

    let assessment: { start: number; auth: number; seen: boolean; needs: boolean; factors: string } | null = null;
    const s47s: Section47[] = [];
    const cinPlans: { start: number; end: number }[] = [];
    const cpPlans: CpPlan[] = [];
    let care: Care | null = null;
    let closure: number;
    let closureReason: string;
    let end: EpisodeEnd;
    let interventionStart: number | null = null;

    if (nfa) {
      closure = ref; // a referral going no further is closed the day it is made
      closureReason = 'RC7'; // RC8 and RC9 are for cases closed after an assessment
      end = 'nfa';
      need = rng.bernoulli(0.6) ? 'N9' : need;
    } else {
      const aStart = work.add(ref, rng.weighted([0, 1, 2, 3, 4, 5], [50, 25, 15, 5, 3, 2]));
      const s47Chance = firstUasc ? 0 : Math.min(0.85, P_S47 * child.risk * (child.cpPlans > 0 ? P_S47_AFTER_PLAN : 1) * (age < 1 ? 1.5 : 1));
      const hasS47 = rng.bernoulli(s47Chance);
      const auth = Math.min(work.add(aStart, Math.max(1, Math.round(rng.lognormal(28, 0.46)))), Math.max(aStart, b18 - 1));
      const needs = firstUasc || rng.bernoulli(hasS47 ? P_NEEDS_SUPPORT_S47 : P_NEEDS_SUPPORT);
      assessment = { start: aStart, auth, seen: rng.bernoulli(0.97), needs, factors: this.factors(age, needs) };
      if (!needs && need !== 'N2') need = rng.bernoulli(0.5) ? 'N9' : need;
      let careStart: number | null = firstUasc ? ref + rng.int(0, 2) : null;
      let cp: CpPlan | null = null;
      if (hasS47) {
        const s47 = this.section47(ref, work.add(ref, rng.weighted([0, 1, 2, 3], [45, 30, 15, 10])), child);
        s47s.push(s47);
        if (rng.bernoulli(P_EMERGENCY_CARE * careAgeFactor(age))) {
          careStart = s47.start + rng.int(0, 3);
          if (s47.plan) s47.plan = false; // looked after instead of a plan
        } else if (s47.plan && s47.icpc !== null) {
          cp = this.cpPlan(child, ref, s47.icpc);
        }
      }
      if (careStart === null) {
        if (cp) {
          cpPlans.push(cp);
          interventionStart = cp.start;
          if (!cp.long && rng.bernoulli(P_CARE_FROM_CP * careFactor)) {
            careStart = cp.start + 1 + Math.round(rng.uniform(0.05, 0.85) * (cp.end - cp.start));
            this.cutPlan(cp, Math.min(cp.end, careStart + rng.int(0, 45)));
          } else if (cp.end < b18 && rng.bernoulli(P_STEP_DOWN_AFTER_CP)) {
            cinPlans.push({ start: cp.end, end: cp.end + Math.max(28, Math.round(rng.lognormal(130, 0.6))) });
          }
        } else if (needs) {
          const start = auth + rng.int(0, 10);
          interventionStart = auth;
          const long = need === 'N2';
          const duration = Math.max(28, Math.round(rng.lognormal(long ? 400 : 130, 0.8)));
          const plan = { start, end: start + duration };
          const withPlan = rng.bernoulli(long ? 0.9 : P_CIN_PLAN);
          if (withPlan) cinPlans.push(plan);
          const escalation = start + 1 + Math.round(rng.uniform(0.1, 0.8) * duration);
          if (escalation < b18 - 60 && rng.bernoulli(P_ESCALATE_FROM_CIN * child.risk)) {
            const day = escalation;
            const s47 = this.section47(ref, work.onOrAfter(day), child);
            s47s.push(s47);
            if (s47.plan && s47.icpc !== null) {
              const cp2 = this.cpPlan(child, ref, s47.icpc);
              cpPlans.push(cp2);
              if (withPlan) plan.end = Math.min(plan.end, cp2.start);
              if (!cp2.long && rng.bernoulli(P_CARE_FROM_CP * careFactor)) {
                careStart = cp2.start + 1 + Math.round(rng.uniform(0.05, 0.85) * (cp2.end - cp2.start));
                this.cutPlan(cp2, Math.min(cp2.end, careStart + rng.int(0, 45)));
              } else if (cp2.end < b18 && rng.bernoulli(P_STEP_DOWN_AFTER_CP)) {
                cinPlans.push({ start: cp2.end, end: cp2.end + Math.max(28, Math.round(rng.lognormal(130, 0.6))) });
              }
            }
          }
          if (careStart === null && cpPlans.length === 0 && rng.bernoulli(P_CARE_FROM_CIN * careFactor)) {
            careStart = start + 1 + Math.round(rng.uniform(0, 0.7) * duration);
            if (withPlan) plan.end = careStart;
          }
        }
      }
      let last = Math.max(auth, ...s47s.map((s) => s.icpc ?? s.start));
      if (careStart !== null) {
        careStart = Math.min(careStart, b18 - 30);
        if (careStart <= ref) careStart = ref + 1;
        // nothing but care runs on after the child comes into care
        for (const p of cinPlans) if (p.end > careStart) p.end = Math.max(p.start + 1, careStart);
        for (let i = cinPlans.length - 1; i >= 0; i--) if (cinPlans[i].start >= careStart) cinPlans.splice(i, 1);
        interventionStart ??= careStart;
        if (!/^N[1-8]$/.test(need)) need = 'N1'; // a looked-after child's category of need is N1–N8
        if (child.sex === 'U') child.sex = rng.bernoulli(0.5) ? 'M' : 'F'; // known by the time a child is looked after
        care = this.care(child, ref, careStart, need);
        last = Math.max(last, care.exit);
        if (care.exit < b18 && ['E4A', 'E4B', 'E13', 'E41', 'E8'].includes(care.reason) && rng.bernoulli(P_CIN_AFTER_CARE)) {
          cinPlans.push({ start: care.exit, end: care.exit + Math.max(28, Math.round(rng.lognormal(130, 0.6))) });
        }
      }
      for (const p of cinPlans) last = Math.max(last, p.end);
      for (const p of cpPlans) last = Math.max(last, p.end);
      if (!needs && cpPlans.length === 0 && !care && cinPlans.length === 0) {
        closure = work.onOrAfter(last + rng.int(0, 5));
        closureReason = rng.bernoulli(0.22) ? 'RC9' : 'RC8';
        end = 'assessed';
        if (closureReason === 'RC9') this.earlyHelp(child, closure + rng.int(0, 14), true);
      } else {
        const noPlan = cinPlans.length === 0 && cpPlans.length === 0 && !care;
        closure = work.onOrAfter(noPlan ? Math.max(last, auth + Math.max(14, Math.round(rng.lognormal(60, 0.8)))) : last + rng.int(0, 7));
        if (care && care.exit >= last) closure = care.exit;
        closureReason = 'RC7';
        end = care ? 'care' : cpPlans.length ? 'cp' : cinPlans.length ? 'cin' : 'assessed';
        if (care) {
          const r = care.reason;
          if (r === 'E11' || r === 'E12') { closureReason = 'RC1'; end = 'final'; }
          else if (r >= 'E43' && r <= 'E48') { closureReason = 'RC4'; end = 'final'; }
          else if (r === 'E41') closureReason = 'RC3';
          else if (r === 'E3') { closureReason = 'RC5'; end = 'final'; }
          else if (care.exit >= b18) { closureReason = rng.bernoulli(0.2) ? 'RC6' : 'RC7'; end = 'final'; }
          else if (r === 'E15') end = 'final';
        } else if (rng.bernoulli(0.04)) {
          closureReason = 'RC5';
        } else if (end === 'cin' || end === 'cp') {
          // some families are stepped down to early help when the plan ends and the case closes
          if (closure < b18 - 90 && rng.bernoulli(end === 'cin' ? P_EARLY_HELP_AFTER_CIN : P_EARLY_HELP_AFTER_CP)) this.earlyHelp(child, closure + rng.int(0, 14), true);
        }
      }
    }
    if (closure >= b18) {
      closure = b18;
      end = 'final';
      if (closureReason === 'RC7' || closureReason === 'RC8') closureReason = rng.bernoulli(0.3) ? 'RC6' : 'RC7';
    }
    // every plan ends by the 18th birthday
    for (const p of cinPlans) p.end = Math.min(p.end, b18);
    for (const p of cpPlans) if (p.end > b18) this.cutPlan(p, b18);

    // Who held the child, phase by phase.
    const intervention = nfa || !assessment ? closure : interventionStart ?? (assessment.needs ? assessment.auth : closure);
    const service: Service = need === 'N2' ? 'disabilities' : 'locality';
    this.hold(child, 'assessment', ref, Math.min(intervention, closure));
    if (care) {
      this.hold(child, service, intervention, care.decom);
      this.hold(child, 'children in care', care.decom, care.exit);
      this.hold(child, service, care.exit, closure);
    } else {
      this.hold(child, service, intervention, closure);
    }

    // The rows.
    if (ref <= this.endDay && closure >= this.startDay) {
      const at = this.allocationAt(child, ref);
      const closed = this.clip(closure);
      this.emit('referrals', {
        child_id: child.id, referral_date: iso(ref), source: contact.source, nfa, primary_need: need,
        closure_date: isoOrNull(closed), closure_reason: closed === null ? null : closureReason,
        team: at?.team.name ?? null, worker: at?.worker.name ?? null,
      }, child);
    }
    // the assessment goes with its episode: written whenever the referral is
    if (assessment && assessment.start <= this.endDay && closure >= this.startDay) {
      const at = this.allocationAt(child, assessment.start);
      const auth = this.clip(assessment.auth);
      this.emit('assessments', {
        child_id: child.id, referral_date: iso(ref), start_date: iso(assessment.start),
        child_seen: auth === null ? null : assessment.seen, authorisation_date: isoOrNull(auth),
        needs_support: auth === null ? null : assessment.needs, factors: auth === null ? null : assessment.factors,
        team: at?.team.name ?? null, worker: at?.worker.name ?? null,
      }, child);
    }
    for (const s of s47s) this.writeSection47(child, s);
    for (const p of cinPlans) {
      if (p.start <= this.endDay && p.end >= this.startDay && p.end > p.start) {
        this.emit('cin_plans', { child_id: child.id, referral_date: iso(ref), start_date: iso(p.start), end_date: isoOrNull(this.clip(p.end)) }, child);
        this.visits(child, 'CIN', p.start + rng.int(0, 10), p.end);
      }
    }
    for (const p of cpPlans) this.writeCpPlan(child, p);
    if (care) this.writeCare(child, care);
    return { closure, end };
  }

  private factors(age: number, needs: boolean): string {
    const rng = this.rng;
    const found: string[] = [];
    for (const [code, p, who] of FACTORS) {
      if (who === 'teen' && age < 11) continue;
      if (rng.bernoulli(needs ? p : p * 0.35)) found.push(code);
    }
    return found.length ? found.join(',') : '21';
  }

  private section47(ref: number, start: number, child: Child): Section47 {
    const rng = this.rng;
    const required = rng.bernoulli(Math.min(0.9, P_ICPC * (child.cpPlans > 0 ? 1.2 : 1)));
    if (!required) return { referral: ref, start, icpc: null, notRequired: true, plan: null };
    const icpc = this.work.add(start, Math.max(1, Math.round(rng.lognormal(11.0, 0.38))));
    return { referral: ref, start, icpc, notRequired: false, plan: rng.bernoulli(P_ICPC_PLAN) };
  }

  private writeSection47(child: Child, s: Section47): void {
    if (s.start > this.endDay) return;
    if (s.start < this.startDay && (s.icpc === null || s.icpc < this.startDay)) return;
    const at = this.allocationAt(child, s.start);
    const icpc = this.clip(s.icpc);
    this.emit('section47', {
      child_id: child.id, referral_date: iso(s.referral), start_date: iso(s.start),
      icpc_target_date: iso(this.work.add(s.start, 15)),
      icpc_not_required: s.notRequired, icpc_date: isoOrNull(icpc), icpc_plan: icpc === null ? null : s.plan,
      team: at?.team.name ?? null, worker: at?.worker.name ?? null,
    }, child);
  }

  /**
   * A child protection plan from the ICPC, with its review conferences: the first within 3 months of the
   * ICPC, then every 6 months. A share P_CP_LONG of plans run long and end at a review held just after their
   * second anniversary or at one of the next two (CP_LONG_EXTRA_REVIEWS), so that ~2–3% of the plans open at a
   * date have been open 2 years or more; which ones is a quota (see quotaTurn), and a child too near 18
   * passes the turn on.
   * The rest end at the first review after a drawn length (most of them; some end between reviews, when
   * the family moves away, say), always before the second anniversary.
   */
  private cpPlan(child: Child, ref: number, start: number): CpPlan {
    const rng = this.rng;
    // a long plan ends at the review just after its second anniversary, or runs on to a later review; the
    // quota is kept by the 12 months in which the plan would end if long
    const anniversary = toDay(addYears(iso(start), 2));
    let extra = CP_LONG_EXTRA_REVIEWS.pick(rng);
    while (extra > 0 && anniversary + 182 * extra > child.b18 - 30) extra--;
    const canRunLong = child.b18 - start > 900;
    const bucket = Math.floor((this.endDay - anniversary - 3 - 182 * extra) / 365.25);
    let long = this.quotaTurn(this.cpStartsInBucket, this.quotaPhase, bucket, P_CP_LONG);
    const owed = this.cpLongOwed.get(bucket) ?? 0;
    if (long && !canRunLong) {
      this.cpLongOwed.set(bucket, owed + 1);
      long = false;
    } else if (!long && canRunLong && owed > 0) {
      this.cpLongOwed.set(bucket, owed - 1);
      long = true;
    }
    const target = long
      ? anniversary + rng.int(0, 6) + extra * 182 - (extra > 0 ? rng.int(0, 14) : 0)
      : start + Math.max(21, Math.round(Math.exp(Math.log(CP_MEDIAN_DAYS) + CP_SIGMA * normalQuantile(rng.next() * (1 - P_CP_LONG)))));
    const atReview = long || rng.bernoulli(0.85);
    const reviews: number[] = [];
    let r = start + 90 - rng.int(0, 14) + (rng.bernoulli(0.06) ? rng.int(15, 40) : 0);
    let end = target;
    for (;;) {
      if (!long && r >= start + 730) { end = Math.min(target, start + 700); break; }
      if (long && r > target - 30) { reviews.push(target); end = target; break; }
      if (r >= target) {
        if (atReview) { reviews.push(r); end = r; }
        break;
      }
      reviews.push(r);
      r = r + 182 - rng.int(0, 21) + (rng.bernoulli(0.05) ? rng.int(23, 45) : 0);
    }
    if (!long && end >= start + 730) end = reviews.length ? reviews[reviews.length - 1] : start + 700;
    const initial = CP_CATEGORY.pick(rng);
    // a quota of first plans here follow a plan in another authority, per 12 months of plan starts
    if (child.cpPlans === 0 && this.quotaTurn(this.firstPlansInYear, this.quotaPhase, Math.floor((this.endDay - start) / 365.25), P_OTHER_LA_PLAN)) child.cpPlans = 1;
    const previous = child.cpPlans;
    child.cpPlans++;
    return {
      referral: ref, start, end, initial, latest: rng.bernoulli(0.88) ? initial : CP_CATEGORY.pick(rng), previous, reviews, long,
    };
  }

  /**
   * A quota: true for a share p of the calls made for each bucket (the kth call is true when k × p, plus a
   * phase for the bucket, passes a whole number). Which of a bucket's records are chosen depends on the
   * order the journeys are simulated in; how many does not, so a small authority still gets the intended
   * share. Long CP plans are bucketed by the 12 months (counted back from the end date) in which they would
   * end if long, so the plans ending in any such year include close to P_CP_LONG long ones.
   */
  private quotaTurn(counts: Map<number, number>, offset: number, bucket: number, p: number): boolean {
    const k = counts.get(bucket) ?? 0;
    counts.set(bucket, k + 1);
    const phase = (((offset + bucket * 0.4142135623730950) % 1) + 1) % 1;
    return Math.floor((k + 1) * p + phase) > Math.floor(k * p + phase);
  }

  private monthOf(day: number): number {
    return Math.floor((day - this.t0) / 30.44);
  }

  /** Quantiles spread evenly over the calls made for days in each month: a golden-ratio sequence per month. */
  private evenlyByMonth(counts: Map<number, number>, offset: number, day: number): number {
    const month = Math.floor((day - this.t0) / 30.44);
    const n = counts.get(month) ?? 0;
    counts.set(month, n + 1);
    const x = offset + month * 0.4142135623730950 + n * 0.6180339887498949;
    return x - Math.floor(x);
  }

  private cutPlan(p: CpPlan, end: number): void {
    p.end = Math.max(p.start + 1, end);
    p.reviews = p.reviews.filter((r) => r <= p.end);
  }

  private writeCpPlan(child: Child, p: CpPlan): void {
    if (p.start > this.endDay || p.end < this.startDay) return;
    const at = this.allocationAt(child, p.start);
    this.emit('cp_plans', {
      child_id: child.id, referral_date: iso(p.referral), start_date: iso(p.start), end_date: isoOrNull(this.clip(p.end)),
      initial_category: p.initial, latest_category: p.latest, previous_plans: p.previous,
      team: at?.team.name ?? null, worker: at?.worker.name ?? null,
    }, child);
    for (const r of p.reviews) {
      if (this.inWindow(r)) this.emit('cp_reviews', { child_id: child.id, plan_start_date: iso(p.start), review_date: iso(r) }, child);
    }
    this.visits(child, 'CP', this.work.add(p.start, this.rng.int(0, 4)), p.end);
  }

  /** Statutory visits from first to the end of a plan, written only within the window. */
  private visits(child: Child, type: 'CIN' | 'CP' | 'LAC', first: number, end: number): void {
    const rng = this.rng;
    for (let d = first; d < end && d <= this.endDay;) {
      if (d >= this.startDay) {
        const age = ageAt(child, d);
        const at = this.allocationAt(child, d);
        this.emit('visits', {
          child_id: child.id, visit_date: iso(d), visit_type: type,
          seen_alone: age < 4 ? false : rng.bernoulli(age < 8 ? 0.45 : 0.7), worker: at?.worker.name ?? null,
        }, child);
      }
      if (type === 'CP') {
        const u = rng.next();
        d = this.work.add(d, u < 0.78 ? rng.int(5, 10) : u < 0.94 ? rng.int(11, 14) : rng.int(15, 25));
      } else if (type === 'CIN') {
        // most within the 20 working days of the local standard, some late
        d = this.work.add(d, rng.bernoulli(0.55) ? rng.int(8, 20) : rng.int(21, 32));
      } else {
        d += ageAt(child, d) > 0 && rng.bernoulli(0.85) ? rng.int(28, 42) : rng.int(43, 63);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // A period of care

  private care(child: Child, referral: number, decom: number, need: string): Care {
    const rng = this.rng;
    const age = ageAt(child, decom);
    const b18 = child.b18;
    let route: Route;
    if (child.uasc) route = rng.bernoulli(0.95) ? 'eighteen' : 'other';
    else route = ROUTE_BY_AGE.find(([max]) => age < max)![1].pick(rng);

    let ls0: string;
    switch (route) {
      case 'adoption': case 'sgo': case 'cao': ls0 = rng.bernoulli(0.88) ? 'C1' : 'V2'; break;
      case 'home': ls0 = rng.bernoulli(age < 10 ? 0.45 : 0.28) ? 'C1' : 'V2'; break;
      case 'relatives': ls0 = rng.bernoulli(0.4) ? 'C1' : 'V2'; break;
      case 'eighteen': ls0 = child.uasc ? 'V2' : rng.bernoulli(age < 13 ? 0.75 : 0.4) ? 'C1' : 'V2'; break;
      default: ls0 = rng.bernoulli(0.3) ? 'C1' : 'V2';
    }
    const legal: [number, string][] = [[decom, ls0]];
    let issued: number | null = null;
    if (ls0 === 'C1') issued = Math.max(child.dob, decom - rng.int(0, 3));
    else if (!child.uasc && (['adoption', 'sgo', 'cao'].includes(route) || (route === 'eighteen' && age < 14 && rng.bernoulli(0.55)))) {
      const convert = decom + rng.int(14, 150);
      legal.push([convert, 'C1']);
      issued = convert - rng.int(0, 5);
    }
    const final = issued === null ? null : issued + 7 * clampInt(rng.lognormal(35, 0.27), 14, 95);
    let exit: number;
    let reason = '';
    let order = 'care_order';
    const forced: { day: number; type: string | null }[] = [];
    let adoption: Care['adoption'] = null;

    const afterFinal = (min: number) => Math.max(final ?? decom + 30, decom + min);
    switch (route) {
      case 'adoption': {
        const po = afterFinal(60);
        legal.push([po, 'E1']);
        order = 'placement_order';
        const decision = Math.max(decom + 14, po - rng.int(20, 90));
        if (rng.bernoulli(0.08)) {
          const reversed = po + rng.int(90, 400);
          legal.push([reversed + rng.int(20, 60), 'C2']);
          adoption = { decision, placementOrder: po, matched: null, placed: null, order: null, reversed, reversedReason: rng.pick(['RD1', 'RD2', 'RD3', 'RD4']), fosterCare: false };
          if (rng.bernoulli(0.5)) { exit = reversed + Math.round(rng.lognormal(500, 0.4)); reason = 'SGO'; }
          else { exit = b18; reason = ''; }
        } else {
          const matched = po + Math.max(20, Math.round(rng.lognormal(140, 0.5)));
          const placed = matched + rng.int(7, 35);
          const fosterCare = rng.bernoulli(0.15);
          forced.push({ day: placed, type: fosterCare ? 'A5' : 'A6' });
          exit = placed + Math.max(75, Math.round(rng.lognormal(210, 0.35)));
          reason = rng.bernoulli(0.75) ? 'E11' : 'E12';
          adoption = { decision, placementOrder: po, matched, placed, order: exit, reversed: null, reversedReason: null, fosterCare };
        }
        break;
      }
      case 'sgo':
        if (rng.bernoulli(0.7)) { exit = afterFinal(30); order = 'special_guardianship_order'; }
        else { legal.push([afterFinal(30), 'C2']); exit = afterFinal(30) + Math.round(rng.lognormal(650, 0.45)); }
        reason = 'SGO';
        break;
      case 'cao':
        exit = final !== null ? afterFinal(30) : decom + Math.round(rng.lognormal(200, 0.5));
        order = 'child_arrangements_order';
        reason = 'E41';
        break;
      case 'home':
        if (final !== null) {
          if (rng.bernoulli(0.5)) { exit = afterFinal(30); order = rng.bernoulli(0.7) ? 'supervision_order' : 'no_order'; }
          else {
            legal.push([afterFinal(30), 'C2']);
            forced.push({ day: Math.max(decom + 30, afterFinal(30) - rng.int(0, 60)), type: 'P1' });
            exit = afterFinal(30) + Math.round(rng.lognormal(280, 0.45));
          }
        } else {
          exit = decom + Math.max(3, Math.round(rng.lognormal(110, 0.95)));
        }
        reason = rng.bernoulli(0.85) ? 'E4A' : 'E4B';
        break;
      case 'relatives':
        exit = decom + Math.max(14, Math.round(rng.lognormal(330, 0.65)));
        reason = 'E13';
        break;
      case 'eighteen':
        exit = b18;
        break;
      default:
        if (child.uasc) { exit = decom + rng.int(20, 200); reason = 'E15'; }
        else { exit = decom + Math.max(3, Math.round(rng.lognormal(150, 1.0))); reason = rng.weighted(['E8', 'E3', 'E4B', 'E13'], [40, 20, 25, 15]); }
    }
    if (final !== null && final < exit && order === 'care_order' && !legal.some(([, ls]) => ls === 'C2' || ls === 'E1')) legal.push([final, 'C2']);
    if (exit > b18) { exit = b18; reason = ''; }
    if (exit <= decom) exit = decom + 1;
    const validLegal = legal.filter(([d]) => d < exit).sort((a, b) => a[0] - b[0]);
    // some changes of legal status come with a move (RNE T): to long-term carers at the final order, say
    for (const [d] of validLegal.slice(1)) {
      if (rng.bernoulli(0.15) && !forced.some((f) => Math.abs(f.day - d) < 14)) forced.push({ day: d, type: null });
    }

    const placements = this.placements(child, decom, exit, route, ls0 === 'C1', forced.filter((f) => f.day > decom && f.day < exit));
    const lastPlace = placements[placements.length - 1].type;
    if (reason === 'SGO') {
      const foster = lastPlace.startsWith('U');
      const relative = lastPlace === 'U1' || lastPlace === 'U2' || lastPlace === 'U3' || rng.bernoulli(0.5);
      reason = foster ? (relative ? 'E46' : 'E45') : relative ? 'E48' : 'E47';
    }
    if (reason === '') {
      reason = lastPlace.startsWith('U') && rng.bernoulli(0.45) ? 'E17' : rng.weighted(['E5', 'E6', 'E8'], [72, 20, 8]);
    }
    // proceedings end with the order that ended the care, or when the child left care before a final hearing
    let proceedings: Care['proceedings'] = null;
    if (issued !== null) {
      let finalDay = final!;
      if (exit < finalDay) {
        finalDay = Math.max(issued + 14, exit);
        order = reason === 'E41' || reason === 'E13' ? 'child_arrangements_order' : reason >= 'E45' && reason <= 'E48' ? 'special_guardianship_order'
          : reason === 'E4A' || reason === 'E4B' ? 'supervision_order' : 'no_order';
      }
      proceedings = { issued, final: finalDay, order, preProceedings: route !== 'other' && rng.bernoulli(0.55) };
    }
    return { decom, exit, reason, legal: validLegal, placements, need, referral, proceedings, adoption };
  }

  /** A placement type for a child of this age; placed with parents (P1) only at the start and under a care order. */
  private placementType(age: number, monthsInCare: number, route: Route, uasc: boolean, current: string | null, careOrder = false): string {
    const rng = this.rng;
    if (uasc) return age >= 16 ? (rng.bernoulli(0.75) ? 'H5' : 'U6') : rng.bernoulli(0.85) ? 'U6' : 'K2';
    if (current === null && age < 1 && route === 'adoption' && rng.bernoulli(0.12)) return 'U5';
    const longTerm = monthsInCare >= 12 && rng.bernoulli(0.45);
    const kin = (): string => (longTerm ? 'U1' : 'U3');
    const foster = (): string => (longTerm ? 'U4' : 'U6');
    const residential = current === 'K2' || current === 'R1' ? 0.45 : 0;
    let table: [string, number][];
    if (age < 5) table = [['F', 0.71], ['K', 0.25], ['P1', current === null && careOrder ? 0.04 : 0], ['K2', 0.005]];
    else if (age < 10) table = [['F', 0.66], ['K', 0.25], ['P1', current === null && careOrder ? 0.04 : 0], ['K2', 0.05 + residential * 0.3]];
    else if (age < 16) table = [['F', 0.56], ['K', 0.13], ['K2', 0.22 + residential], ['R1', 0.03], ['P1', current === null && careOrder ? 0.03 : 0]];
    else table = [['H5', 0.36], ['F', 0.3], ['K2', 0.18 + residential], ['K', 0.1], ['P1', current === null && careOrder ? 0.02 : 0]];
    const pick = rng.weighted(table.map(([t]) => t), table.map(([, w]) => w));
    return pick === 'F' ? foster() : pick === 'K' ? kin() : pick;
  }

  private placementDetails(child: Child, type: string, day: number, reason: string | null): Placement {
    const rng = this.rng;
    if (type === 'P1') return { day, type, provider: 'PR0', postcode: child.homePostcode, urn: 'XXXXXXX', reason };
    if (type === 'K2' || type === 'R1') {
      const home = rng.pick(this.homes.filter((h) => h.type === type));
      return { day, type, provider: home.provider, postcode: home.postcode, urn: home.urn, reason };
    }
    const group = type === 'U1' || type === 'U2' || type === 'U3' ? 'kin' : type.startsWith('U') ? 'foster' : type === 'H5' ? 'semi' : 'adoption';
    const provider = PROVIDER[group].pick(rng);
    const local = rng.bernoulli(provider === 'PR1' ? 0.75 : 0.35);
    let postcode = local
      ? `NS${rng.int(1, 14)} ${rng.int(1, 9)}${rng.pick([...POSTCODE_LETTERS])}${rng.pick([...POSTCODE_LETTERS])}`
      : `${rng.pick(OUT_OF_AREA)} ${rng.int(1, 9)}${rng.pick([...POSTCODE_LETTERS])}${rng.pick([...POSTCODE_LETTERS])}`;
    if (postcode === child.homePostcode) postcode = `NS15 ${rng.int(1, 9)}AA`;
    return { day, type, provider, postcode, urn: 'XXXXXXX', reason };
  }

  /** Placements from decom to exit: random moves at a rate set by the placement and the child, plus planned moves. */
  private placements(child: Child, decom: number, exit: number, route: Route, careOrder: boolean, forced: { day: number; type: string | null }[]): Placement[] {
    const rng = this.rng;
    // how often this child's placements break down, spread evenly over the children coming into care each month
    const volatility = Math.exp(1.2 * normalQuantile(this.evenlyByMonth(this.careStartsInMonth, this.carePhase, decom)) - 0.75);
    const out: Placement[] = [this.placementDetails(child, this.placementType(ageAt(child, decom), 0, route, child.uasc, null, careOrder), decom, null)];
    // an unsettled start for a share of the children coming into care each month: an emergency placement,
    // a bridging placement, then the planned one
    if (this.quotaTurn(this.unsettledInMonth, this.carePhase, this.monthOf(decom), P_UNSETTLED_START)) {
      const first = decom + rng.int(5, 35), second = first + rng.int(30, 100);
      if (second < exit - 14 && !forced.some((f) => f.day <= second + 7)) forced.push({ day: first, type: null }, { day: second, type: null });
    }
    // a planned move to semi-independent living for some older teenagers staying until 18
    if (route === 'eighteen' && !child.uasc) {
      const at = this.birthday(child, 16) + rng.int(120, 500);
      if (at > decom + 60 && at < exit - 30 && rng.bernoulli(0.5)) forced.push({ day: at, type: 'H5' });
    }
    // a spell of instability (two moves) for a share of the children settled in care at each anniversary of the end date
    if (route !== 'adoption' && !child.uasc) {
      for (let k = 0; ; k++) {
        const at = this.endDay - Math.round(k * 365.25);
        if (at <= decom + 365) break;
        if (exit <= at) continue;
        if (!this.quotaTurn(this.spellsInYear, this.carePhase, k, P_INSTABILITY_SPELL)) continue;
        const first = at - rng.int(60, 330), second = first + rng.int(14, 50);
        if (first > decom + 30 && second < at && !forced.some((f) => f.day > first - 30 && f.day < second + 30)) {
          forced.push({ day: first, type: null }, { day: second, type: null });
        }
      }
    }
    forced.sort((a, b) => a.day - b.day);
    let from = decom;
    const segments = [...forced.map((f) => f.day), exit];
    for (let s = 0; s < segments.length; s++) {
      const to = segments[s];
      let t = from;
      for (;;) {
        const cur = out[out.length - 1].type;
        const early = t - decom < 90 ? 1.5 : t - decom > 365 ? 0.35 : 1; // settled after a year
        const rate = ((MOVE_RATE[cur] ?? 0.4) * volatility * early) / 365.25;
        // Erlang-8 gaps: moves come at the child's rate but more regularly than a Poisson process would
        let gap = 0;
        for (let k = 0; k < 8; k++) gap += rng.exponential(1 / (8 * rate));
        t += Math.max(1, Math.round(gap));
        if (t >= to - 1) break;
        const next = this.placementType(ageAt(child, t), (t - decom) / 30.4, route, child.uasc, cur);
        out.push(this.placementDetails(child, next, t, PLACE_CHANGE_REASON.pick(rng)));
      }
      if (s < forced.length) {
        const f = forced[s];
        const type = f.type ?? this.placementType(ageAt(child, f.day), (f.day - decom) / 30.4, route, child.uasc, out[out.length - 1].type);
        if (f.day > out[out.length - 1].day) out.push(this.placementDetails(child, type, f.day, f.type === null ? PLACE_CHANGE_REASON.pick(rng) : 'CARPL'));
        from = f.day;
      }
    }
    return out;
  }

  private writeCare(child: Child, care: Care): void {
    const rng = this.rng;
    const { decom, exit } = care;
    const overlaps = decom <= this.endDay && exit >= this.startDay;
    // episodes: a new one at every change of legal status or placement
    const days = new Set<number>([decom]);
    for (const [d] of care.legal) days.add(d);
    for (const p of care.placements) days.add(p.day);
    const sorted = [...days].filter((d) => d < exit).sort((a, b) => a - b);
    const changes: { day: number; ls: string; place: Placement; rne: string }[] = [];
    let li = 0, pi = 0;
    let ls = care.legal[0][1];
    let place = care.placements[0];
    for (const d of sorted) {
      while (li < care.legal.length && care.legal[li][0] <= d) ls = care.legal[li++][1];
      while (pi < care.placements.length && care.placements[pi].day <= d) place = care.placements[pi++];
      const prev = changes[changes.length - 1];
      if (!prev) { changes.push({ day: d, ls, place, rne: 'S' }); continue; }
      const lsChanged = ls !== prev.ls, placeChanged = place !== prev.place;
      if (!lsChanged && !placeChanged) continue;
      changes.push({ day: d, ls, place, rne: lsChanged && placeChanged ? 'T' : lsChanged ? 'L' : 'P' });
    }
    changes.forEach((c, i) => {
      const dec = i + 1 < changes.length ? changes[i + 1].day : exit;
      if (c.day > this.endDay || dec < this.startDay) return;
      const ended = this.clip(dec);
      this.emit('lac_episodes', {
        child_id: child.id, decom: iso(c.day), rne: c.rne, legal_status: c.ls, category_of_need: care.need,
        placement_type: c.place.type, placement_provider: c.place.provider, dec: isoOrNull(ended),
        reason_ceased: ended === null ? null : i + 1 < changes.length ? 'X1' : care.reason,
        reason_place_change: c.rne === 'P' || c.rne === 'T' ? c.place.reason ?? 'CARPL' : null,
        home_postcode: child.homePostcode, placement_postcode: c.place.postcode, urn: c.place.urn,
      }, child);
    });
    if (!overlaps) {
      this.careLeaver(child, care);
      return;
    }
    if (child.uasc && !child.uascWritten) {
      child.uascWritten = true;
      this.emit('uasc', { child_id: child.id, date_uasc_ceased: iso(child.b18) }, child);
    }
    if (!child.permanenceWritten && decom >= this.startDay && decom <= this.endDay) {
      child.permanenceWritten = true;
      const u = rng.next();
      const kind = u < 0.012 ? 'P1' : u < 0.035 ? 'P2' : u < 0.05 ? 'P3' : 'Z1';
      this.emit('previous_permanence', {
        child_id: child.id, previous_permanence: kind,
        la_of_permanence: kind === 'Z1' ? null : rng.pick(['380', '381', '382', '383', '384', '372', '373', '370']),
        date_of_permanence: kind === 'Z1' ? null : iso(Math.max(child.dob + 60, decom - rng.int(200, 2000))),
      }, child);
    }
    // reviews: first within 20 working days, second within 3 months of the first, then every 6 months
    let review = this.work.add(decom, rng.bernoulli(0.92) ? rng.int(8, 20) : rng.int(21, 35));
    let k = 0;
    while (review < exit && review <= this.endDay) {
      if (review >= this.startDay) {
        const age = ageAt(child, review);
        this.emit('lac_reviews', { child_id: child.id, review_date: iso(review), participation: age < 4 ? 'PN0' : PARTICIPATION.pick(rng) }, child);
      }
      const late = rng.bernoulli(0.07) ? rng.int(10, 40) : 0;
      review = k === 0 ? toDay(addMonths(iso(review), 3)) - rng.int(0, 14) + late : toDay(addMonths(iso(review), 6)) - rng.int(0, 21) + late;
      k++;
    }
    // health: initial assessment, then reviews (6-monthly under 5, yearly after) and yearly dental checks
    const health: number[] = [];
    const dental: number[] = [];
    const iha = this.work.add(decom, rng.bernoulli(0.55) ? rng.int(5, 20) : rng.int(21, 70));
    if (iha < exit) {
      this.healthAssessment(child, iha, 'initial');
      health.push(iha);
      let h = iha;
      for (;;) {
        h += (ageAt(child, h) < 5 ? 182 : 365) - rng.int(0, 40) + (rng.bernoulli(0.12) ? rng.int(20, 120) : 0);
        if (h >= exit || h > this.endDay) break;
        this.healthAssessment(child, h, 'review');
        health.push(h);
      }
    }
    if (ageAt(child, decom) >= 1) {
      let dt = decom + rng.int(60, 220);
      while (dt < exit && dt <= this.endDay) {
        this.healthAssessment(child, dt, 'dental');
        dental.push(dt);
        dt += 365 - rng.int(0, 40) + (rng.bernoulli(0.15) ? rng.int(30, 150) : 0);
      }
    }
    this.outcomes(child, care, health, dental);
    this.peps(child, decom, exit);
    this.missing(child, decom, exit);
    this.visits(child, 'LAC', decom + rng.int(0, 7), exit);
    if (care.proceedings) {
      const p = care.proceedings;
      const finalKnown = this.clip(p.final);
      if (p.issued <= this.endDay && (finalKnown === null || p.final >= this.startDay)) {
        this.emit('care_proceedings', {
          child_id: child.id, issued_date: iso(p.issued), final_order_date: isoOrNull(finalKnown),
          order_type: finalKnown === null ? null : p.order,
        }, child);
      }
      if (p.preProceedings) this.preProceedings(child, care, p.issued);
    }
    if (care.adoption) this.writeAdoption(child, care);
    this.socialWorkerEpisodes(child, decom, exit);
    this.careLeaver(child, care);
  }

  private healthAssessment(child: Child, day: number, kind: string): void {
    if (this.inWindow(day)) this.emit('health_assessments', { child_id: child.id, assessment_date: iso(day), kind }, child);
  }

  /** SSDA903 OC2 for each 31 March at which the child had been looked after for 12 months or more. */
  private outcomes(child: Child, care: Care, health: number[], dental: number[]): void {
    const rng = this.rng;
    const firstYear = Number(iso(Math.max(care.decom, this.startDay)).slice(0, 4)) - 1;
    for (let y = firstYear; ; y++) {
      const march = toDay(`${y + 1}-03-31`);
      if (march > this.endDay || march >= care.exit) break;
      if (march < this.startDay || toDay(addYears(iso(march), -1)) < care.decom) continue;
      const yearStart = toDay(`${y}-04-01`);
      const age = ageAt(child, march);
      const checked = health.some((d) => d >= yearStart && d <= march);
      const teeth = dental.some((d) => d >= yearStart && d <= march);
      const sdqAge = age >= 4 && age < 17; // no SDQ, and no reason, under 4 (SSDA903 rule 188)
      const sdqDone = sdqAge && rng.bernoulli(0.8);
      const misuse = age >= 10 && rng.bernoulli(0.04);
      const received = misuse && rng.bernoulli(0.6);
      this.emit('health', {
        child_id: child.id, collection_year: y,
        sdq_score: sdqDone ? clampInt(rng.normal(14, 7), 0, 40) : null,
        sdq_reason: sdqDone || age < 4 ? null : sdqAge ? rng.pick(['SDQ2', 'SDQ3', 'SDQ4', 'SDQ5']) : 'SDQ1',
        convicted: age >= 10 ? rng.bernoulli(0.03) : null,
        health_check: age < 5 ? checked : null,
        immunisations: rng.bernoulli(0.86),
        teeth_check: teeth,
        health_assessment: checked,
        substance_misuse: age >= 10 ? misuse : null,
        intervention_received: misuse ? received : null,
        intervention_offered: misuse && !received ? rng.bernoulli(0.75) : null, // asked only when none was received (rule 158)
      }, child);
    }
  }

  /** A personal education plan each school term for children aged 3–17 looked after that term. */
  private peps(child: Child, decom: number, exit: number): void {
    const rng = this.rng;
    const firstYear = Number(iso(Math.max(decom, this.startDay)).slice(0, 4)) - 1;
    const lastYear = Number(iso(Math.min(exit, this.endDay)).slice(0, 4));
    for (let y = firstYear; y <= lastYear; y++) {
      for (const [from, to] of [[`${y}-09-05`, `${y}-12-18`], [`${y + 1}-01-06`, `${y + 1}-03-28`], [`${y + 1}-04-15`, `${y + 1}-07-18`]]) {
        const a = Math.max(toDay(from), decom + 10), b = Math.min(toDay(to), exit - 1);
        if (b - a < 15) continue;
        const day = rng.int(a, b);
        const age = ageAt(child, day);
        if (age < 3 || age >= 18 || !this.inWindow(day) || !rng.bernoulli(0.92)) continue;
        this.emit('peps', { child_id: child.id, pep_date: iso(day) }, child);
      }
    }
  }

  /** Missing and away-from-placement episodes, for the teenagers prone to them. */
  private missing(child: Child, decom: number, exit: number): void {
    const rng = this.rng;
    const from = Math.max(decom, this.birthday(child, 12));
    if (from >= exit || !rng.bernoulli(0.3)) return;
    const perYear = rng.lognormal(2.5, 0.9);
    let t = from;
    for (;;) {
      t += Math.max(1, Math.round(rng.exponential(365.25 / perYear)));
      if (t >= exit || t > this.endDay) return;
      const u = rng.next();
      const length = u < 0.4 ? 0 : u < 0.75 ? 1 : u < 0.97 ? rng.int(2, 7) : rng.int(8, 30);
      const end = Math.min(t + length, exit);
      if (t >= this.startDay) {
        this.emit('missing_episodes', { child_id: child.id, missing_type: rng.bernoulli(0.85) ? 'M' : 'A', start_date: iso(t), end_date: isoOrNull(this.clip(end)) }, child);
      }
      t = end;
    }
  }

  private preProceedings(child: Child, care: Care, issued: number): void {
    const rng = this.rng;
    // pre-proceedings under the Public Law Outline, begun during the episode, when there was time for them
    const start = Math.max(care.referral + 7, issued - rng.int(45, 150));
    if (issued - start < 21 || start > this.endDay || issued < this.startDay) return;
    const letter = start + rng.int(0, 10);
    const meeting = letter + rng.int(5, 20);
    const offered = rng.bernoulli(0.8);
    this.emit('pre_proceedings', {
      child_id: child.id, referral_date: iso(care.referral), start_date: iso(start), letter_before_proceedings_date: isoOrNull(this.clip(letter)),
      fgdm_offered: offered, fgdm_facilitated: offered && rng.bernoulli(0.6), initial_meeting_date: isoOrNull(this.clip(meeting)),
      review_meetings: rng.int(0, 3), decision_date: isoOrNull(this.clip(issued - rng.int(5, 20))), outcome: this.clip(issued) === null ? null : 'A',
      court_application_date: isoOrNull(this.clip(issued)), letter_initial_cp_date: null,
    }, child);
  }

  private writeAdoption(child: Child, care: Care): void {
    const rng = this.rng;
    const a = care.adoption!;
    if (a.decision > this.endDay) return;
    const couple = rng.bernoulli(0.85);
    const sex = couple ? rng.weighted(['MF', 'FF', 'MM'], [82, 10, 8]) : rng.weighted(['F1', 'M1'], [85, 15]);
    const legalStatus = !couple ? 'L0' : sex === 'MF' ? rng.weighted(['L11', 'L3'], [80, 20]) : rng.weighted(['L12', 'L2', 'L4'], [50, 30, 20]);
    const lastDay = a.order ?? a.reversed ?? a.placementOrder;
    if (lastDay >= this.startDay || care.exit >= this.startDay) {
      const reversed = this.clip(a.reversed);
      this.emit('adoptions', {
        child_id: child.id, decision_date: iso(a.decision), placement_order_date: isoOrNull(this.clip(a.placementOrder)),
        matched_date: isoOrNull(this.clip(a.matched)), placed_date: isoOrNull(this.clip(a.placed)),
        adoption_order_date: isoOrNull(this.clip(a.order)), decision_reversed_date: isoOrNull(reversed),
        reason_reversed: reversed === null ? null : a.reversedReason, foster_care: a.fosterCare,
        number_of_adopters: couple ? 2 : 1, sex_of_adopters: sex, legal_status_of_adopters: legalStatus,
      }, child);
      this.emit('placed_for_adoption', {
        child_id: child.id, date_placed: iso(a.decision), date_placed_ceased: isoOrNull(reversed),
        reason_placed_ceased: reversed === null ? null : a.reversedReason,
      }, child);
    }
  }

  private socialWorkerEpisodes(child: Child, decom: number, exit: number): void {
    const rng = this.rng;
    let first = true;
    for (const a of child.allocations) {
      if (a.end <= decom || a.start >= exit) continue;
      const start = Math.max(a.start, decom);
      const end = Math.min(a.end, exit);
      if (start <= this.endDay && end >= this.startDay) {
        this.emit('social_worker_episodes', {
          child_id: child.id, worker_id: a.worker.id, start_date: iso(start), end_date: isoOrNull(this.clip(end >= exit ? exit : end)),
          reason: first ? 'CHCHAN' : rng.weighted(['LEFTRL', 'MANAGE', 'ORGRST', 'PCCHAN', 'ABSENC', 'OTHERS'], [35, 30, 5, 15, 5, 10]),
        }, child);
      }
      first = false;
    }
  }

  /** SSDA903 OC3 on the 17th–21st birthdays after leaving care at 16 or older. */
  private careLeaver(child: Child, care: Care): void {
    const rng = this.rng;
    const leftAge = ageAt(child, care.exit);
    if (leftAge < 16 || care.exit - care.decom < 91 || ['E11', 'E12', 'E3', 'E2', 'E45', 'E46', 'E47', 'E48', 'E41'].includes(care.reason)) return;
    const b21 = this.birthday(child, 21);
    if (b21 >= this.startDay && care.exit <= this.endDay) this.hold(child, 'care leavers', Math.max(care.exit + 1, this.birthday(child, 18)), b21);
    for (let age = 17; age <= 21; age++) {
      const day = this.birthday(child, age);
      if (day <= care.exit || !this.inWindow(day)) continue;
      const year = Number(iso(day).slice(0, 4)) - (iso(day).slice(5) < '04-01' ? 1 : 0);
      child.careLeaverYears ??= new Set();
      if (child.careLeaverYears.has(year)) continue;
      child.careLeaverYears.add(year);
      // the authority is in touch with nearly all of its youngest care leavers (17 and 18), fewer later
      let inTouch = age < 19 && rng.bernoulli(0.93) ? 'YES' : CARE_LEAVER_IN_TOUCH.pick(rng);
      if (inTouch === 'NREQ' && age < 19) inTouch = 'YES';
      if (care.reason === 'E4A' && rng.bernoulli(age < 19 ? 0.1 : 0.3)) inTouch = 'RHOM';
      // not in touch (or returned home): activity and accommodation are '0', not known (SSDA903 rules 132, 344)
      const known = inTouch === 'YES';
      let accommodation = known ? CARE_LEAVER_ACCOMMODATION.pick(rng) : '0';
      if (known && age < 18 && (accommodation === 'Z1' || accommodation === 'T1')) accommodation = 'D1';
      if (known && care.reason === 'E17' && age <= 19 && rng.bernoulli(0.6)) accommodation = 'Z1';
      let activity = known ? CARE_LEAVER_ACTIVITY.pick(rng) : '0';
      if ((activity === 'F1' || activity === 'P1') && age < 19) activity = 'F2';
      this.emit('care_leavers', {
        child_id: child.id, collection_year: year, in_touch: inTouch, activity, accommodation,
        accommodation_suitable: known ? accommodation.endsWith('1') : null,
        eligibility: age < 18 ? 'relevant' : 'former relevant',
      }, child);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Teams, workers and allocations

  private makeTeams(rng: Random): void {
    const count = Math.max(1, Math.floor(this.o.teams));
    const explicit = Math.floor(this.o.workersPerTeam) >= 1 ? Math.floor(this.o.workersPerTeam) : null;
    const used = new Set<string>();
    let workerNumber = 0;
    const name = (): string => {
      for (let i = 0; i < 50; i++) {
        const n = `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`;
        if (!used.has(n)) { used.add(n); return n; }
      }
      const n = `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}-${rng.pick(SURNAMES)}`;
      used.add(n);
      return n;
    };
    for (let t = 0; t < count; t++) {
      const [teamName, service] = count === 1 ? ['Children\'s Social Care Team', 'assessment' as Service] : t < TEAM_NAMES.length ? TEAM_NAMES[t] : [`Locality Team ${t - TEAM_NAMES.length + 1}`, 'locality' as Service];
      this.teams.push({ id: `T${String(t + 1).padStart(2, '0')}`, name: teamName, service, slots: [], caseSlots: [] });
    }
    // case-holding posts per team: from the children each service holds (shared by the teams of the service
    // that stands in for it, as teamFor allocates), or workersPerTeam less the manager when given
    const demand = new Map<Team, number>();
    const per10k = this.o.population / 10_000;
    for (const service of Object.keys(HELD_PER_10K) as Service[]) {
      const teams = this.teamsFor(service);
      const posts = service === 'front door' ? FRONT_DOOR_POSTS_PER_10K * per10k : (HELD_PER_10K[service] * per10k) / CASELOAD_TARGET;
      for (const team of teams) demand.set(team, (demand.get(team) ?? 0) + posts / teams.length);
    }
    const loadDays = Math.max(1, this.endDay - this.loadFrom + 1);
    const slots: Slot[] = [];
    for (const team of this.teams) {
      const caseHolding = explicit !== null ? (explicit > 1 ? explicit - 1 : 1) : Math.max(2, Math.round(demand.get(team) ?? 0));
      const managers = explicit !== null ? (explicit > 1 ? 1 : 0) : 1 + Math.max(0, Math.ceil(caseHolding / POSTS_PER_ASSISTANT_MANAGER) - 2);
      for (let s = 0; s < managers + caseHolding; s++) {
        const manager = s < managers;
        const role = manager ? (s === 0 ? 'Team Manager' : 'Assistant Team Manager')
          : rng.weighted(['Social Worker', 'Senior Social Worker', 'Advanced Practitioner'], [65, 25, 10]);
        const slot: Slot = { team, role, caseHolding: !manager, holders: [], load: new Uint16Array(manager ? 0 : loadDays) };
        team.slots.push(slot);
        if (!manager) team.caseSlots.push(slot);
        slots.push(slot);
      }
    }
    // Fill the posts in date order, each by successive workers. Agency workers stay a shorter time; a post
    // falling vacant is more likely to go to an agency worker when fewer of those in post are agency workers
    // than AGENCY_SHARE, as an authority short of staff would do, which holds the share near it.
    const next = slots.map(() => this.t0 - rng.int(0, 8 * 365));
    const current: (Worker | null)[] = slots.map(() => null);
    const filled = new Uint8Array(slots.length);
    for (let left = slots.length; left > 0;) {
      let k = -1;
      for (let i = 0; i < slots.length; i++) if (!filled[i] && (k < 0 || next[i] < next[k])) k = i;
      const start = next[k];
      let inPost = 0, agencyInPost = 0;
      for (const w of current) {
        if (w && w.start <= start && start < w.end) { inPost++; if (w.agency) agencyInPost++; }
      }
      const share = inPost > 0 ? agencyInPost / inPost : AGENCY_SHARE;
      const slot = slots[k];
      const agency = slot.caseHolding && rng.bernoulli(Math.min(0.95, Math.max(0.02, AGENCY_HIRE + 6 * (AGENCY_SHARE - share))));
      const tenure = Math.max(60, Math.round(rng.lognormal(agency ? 330 : 1100, 0.7)));
      const end = start + tenure;
      const worker: Worker = {
        id: `SW${String(++workerNumber).padStart(5, '0')}`, name: name(), team: slot.team, slot, role: slot.role, agency, start, end: end > this.endDay ? Infinity : end,
      };
      slot.holders.push(worker);
      current[k] = worker;
      if (worker.end === Infinity) { filled[k] = 1; left--; }
      else next[k] = end + rng.int(0, 45);
    }
  }

  private makeHomes(rng: Random): void {
    const used = new Set<string>();
    for (let i = 0; i < 40; i++) {
      let urn: string;
      do urn = `SC${rng.int(100_000, 999_999)}`; while (used.has(urn));
      used.add(urn);
      const local = rng.bernoulli(0.4);
      this.homes.push({
        urn,
        type: i % 8 === 7 ? 'R1' : 'K2',
        provider: rng.weighted(['PR4', 'PR1', 'PR5'], [75, 15, 10]),
        postcode: `${local ? `NS${rng.int(1, 14)}` : rng.pick(OUT_OF_AREA)} ${rng.int(1, 9)}${rng.pick([...POSTCODE_LETTERS])}${rng.pick([...POSTCODE_LETTERS])}`,
      });
    }
  }

  /** the teams that serve a service: its own, or those of the service that stands in for it */
  private teamsFor(service: Service): Team[] {
    for (const s of [service, ...SERVICE_FALLBACK[service]]) {
      const teams = this.teams.filter((t) => t.service === s);
      if (teams.length) return teams;
    }
    return [this.teams[0]];
  }

  private teamFor(service: Service, child: Child): Team {
    const teams = this.teamsFor(service);
    return teams[Math.floor(child.area * teams.length)];
  }

  private holderAt(slot: Slot, day: number): Worker | null {
    for (const w of slot.holders) if (w.start <= day && day < w.end) return w;
    return null;
  }

  /**
   * The worker a child is allocated to on day: the least loaded of a few of the team's case-holding workers
   * in post then (so caseloads stay even, as a team manager would keep them), else anyone in post.
   */
  private pickWorker(team: Team, day: number): Worker | null {
    const rng = this.rng;
    const slots = team.caseSlots;
    let best: Worker | null = null;
    let bestLoad = Infinity;
    const i = day - this.loadFrom;
    for (let tries = 0, seen = 0; tries < 3 * ALLOCATION_CHOICES && seen < ALLOCATION_CHOICES; tries++) {
      const slot = slots[rng.int(0, slots.length - 1)];
      const w = this.holderAt(slot, day);
      if (!w) continue;
      seen++;
      const load = i >= 0 && i < slot.load.length ? slot.load[i] : 0;
      if (load < bestLoad) { best = w; bestLoad = load; }
    }
    if (best) return best;
    for (const slot of [...slots, ...team.slots]) {
      const w = this.holderAt(slot, day);
      if (w) return w;
    }
    return null;
  }

  /** Allocates the child to workers of the team for this service from `from` up to `to`. */
  private hold(child: Child, service: Service, from: number, to: number): void {
    if (to < from) return;
    if (to === from) to = from + 1;
    const team = this.teamFor(service, child);
    let t = from;
    while (t < to) {
      const w = this.pickWorker(team, t);
      if (!w) { t += 7; continue; }
      const stay = t + Math.max(14, Math.round(this.rng.exponential(REALLOCATION_MEAN_DAYS)));
      const e = Math.min(to, w.end, stay);
      child.allocations.push({ worker: w, team, start: t, end: e });
      const load = w.slot.load;
      for (let d = Math.max(t, this.loadFrom) - this.loadFrom, last = Math.min(e - this.loadFrom, load.length); d < last; d++) load[d]++;
      t = e;
    }
  }

  private writeAllocations(child: Child): void {
    for (const a of child.allocations) {
      if (a.start > this.endDay || a.end < this.startDay) continue;
      this.emit('allocations', {
        child_id: child.id, worker_id: a.worker.id, team_id: a.team.id, start_date: iso(a.start), end_date: isoOrNull(this.clip(a.end)),
      }, child);
    }
  }

  private allocationAt(child: Child, day: number): Allocation | null {
    let found: Allocation | null = null;
    for (const a of child.allocations) if (a.start <= day && day < a.end) found = a;
    if (!found) for (const a of child.allocations) if (a.start <= day && day <= a.end) found = a;
    return found;
  }

  // ---------------------------------------------------------------------------------------------------
  // Tables written at the end

  private writeWorkforce(): void {
    for (const team of this.teams) {
      this.emit('teams', { team_id: team.id, name: team.name, service: team.service }, null);
      for (const slot of team.slots) {
        for (const w of slot.holders) {
          if (w.start > this.endDay || w.end < this.startDay) continue;
          this.emit('workers', {
            worker_id: w.id, name: w.name, team_id: team.id, role: w.role, agency: w.agency,
            start_date: iso(w.start), end_date: w.end === Infinity ? null : iso(w.end),
          }, null);
        }
      }
    }
  }

  /** Children aged 0–17 at each mid-year the history touches, by single year of age and sex, summing to the population. */
  private writePopulation(): void {
    const AGE_WEIGHT = [0.94, 0.95, 0.97, 0.99, 1, 1.01, 1.02, 1.03, 1.04, 1.05, 1.05, 1.05, 1.04, 1.04, 1.03, 1.02, 1.01, 1.0];
    const cells: { age: number; sex: string; w: number }[] = [];
    for (let age = 0; age < 18; age++) for (const [sex, share] of [['M', 0.512], ['F', 0.488]] as const) cells.push({ age, sex, w: AGE_WEIGHT[age] * share });
    const total = cells.reduce((s, c) => s + c.w, 0);
    const counts = cells.map((c) => Math.floor((this.o.population * c.w) / total));
    let left = this.o.population - counts.reduce((s, n) => s + n, 0);
    const order = cells.map((c, i) => ({ i, r: (this.o.population * c.w) / total - counts[i] })).sort((a, b) => b.r - a.r || a.i - b.i);
    for (let k = 0; left > 0; k++, left--) counts[order[k % order.length].i]++;
    const first = Number(iso(this.startDay).slice(0, 4)) - 1;
    const last = Number(this.o.end.slice(0, 4));
    for (let year = first; year <= last; year++) {
      cells.forEach((c, i) => this.emit('population', { la_code: this.o.laCode, year, age: c.age, sex: c.sex, count: counts[i] }, null));
    }
  }

  private upn(child: Child): string | null {
    if (child.uasc || child.b18 - 14 * 365.25 > this.endDay) return null; // under school age at the end
    const la = /^\d{3}$/.test(this.o.laCode) ? this.o.laCode : '999';
    const school = String(2000 + (Math.floor(child.index / 1000) % 8000)).padStart(4, '0');
    const year = iso(child.dob + Math.round(5 * 365.25)).slice(2, 4);
    const serial = String(child.index % 1000).padStart(3, '0');
    const body = `${la}${school}${year}${serial}`;
    let sum = 0;
    for (let i = 0; i < body.length; i++) sum += Number(body[i]) * (i + 2);
    return 'ABCDEFGHJKLMNPQRTUVWXYZ'[sum % 23] + body;
  }

  /** Sorts every table by its key, numbers the contacts, writes the children, injects the faults. */
  private finish(): void {
    const t = this.tables;
    for (const child of this.children) {
      t.children.push({
        child_id: child.id, upn: this.upn(child), dob: iso(child.dob), sex: child.sex, ethnicity: child.ethnicity,
        disabilities: child.disabilities, disabled: child.disabilities !== '', uasc: child.uasc, date_of_death: null,
      });
    }
    for (const name of TABLE_NAMES) (t[name] as Record<string, unknown>[]).sort(compareByKey(name));
    t.contacts.sort((a, b) => (a.received_at! < b.received_at! ? -1 : a.received_at! > b.received_at! ? 1 : a.child_id! < b.child_id! ? -1 : a.child_id! > b.child_id! ? 1 : 0));
    const width = Math.max(7, String(t.contacts.length).length);
    t.contacts.forEach((c, i) => { c.contact_id = `CT${String(i + 1).padStart(width, '0')}`; });
    for (const name of TABLE_NAMES) dedupe(name, t[name] as Record<string, unknown>[]);
    this.injectFaults(new Random(`csc-synth:${this.o.seed}`).fork('faults'));
  }

  private injectFaults(rng: Random): void {
    const rate = this.o.faultRate;
    if (!(rate > 0)) return;
    const t = this.tables;
    const record = (table: TableName, childId: string | null, field: string, kind: Fault['kind'], value: string | null) =>
      this.faults.push({ table, childId: childId ?? '', field, kind, value });
    const before = (date: string, days: number) => iso(toDay(date) - days);

    for (const row of t.children) {
      if (!rng.bernoulli(rate)) continue;
      if (rng.bernoulli(0.5)) { row.ethnicity = 'WBRX'; record('children', row.child_id, 'ethnicity', 'invalid-code', 'WBRX'); }
      else { row.dob = null; record('children', row.child_id, 'dob', 'missing', null); }
    }
    for (const row of t.contacts) {
      if (!row.decision_at || !rng.bernoulli(rate)) continue;
      row.decision_at = `${before(row.received_at!.slice(0, 10), rng.int(1, 5))}T10:00:00`;
      record('contacts', row.child_id, 'decision_at', 'order', row.decision_at);
    }
    for (const row of t.referrals) {
      if (!row.closure_date || !rng.bernoulli(rate)) continue;
      row.closure_date = before(row.referral_date!, rng.int(1, 30));
      record('referrals', row.child_id, 'closure_date', 'order', row.closure_date);
    }
    for (const row of t.assessments) {
      if (!row.authorisation_date || !rng.bernoulli(rate)) continue;
      if (rng.bernoulli(0.5)) {
        row.authorisation_date = before(row.start_date!, rng.int(1, 20));
        record('assessments', row.child_id, 'authorisation_date', 'order', row.authorisation_date);
      } else {
        row.authorisation_date = null;
        record('assessments', row.child_id, 'authorisation_date', 'missing', null);
      }
    }
    for (const row of t.section47) {
      if (!row.icpc_date || !rng.bernoulli(rate)) continue;
      row.icpc_date = before(row.start_date!, rng.int(1, 10));
      record('section47', row.child_id, 'icpc_date', 'order', row.icpc_date);
    }
    for (const row of t.cin_plans) {
      if (!row.end_date || !rng.bernoulli(rate)) continue;
      row.end_date = before(row.start_date!, rng.int(1, 30));
      record('cin_plans', row.child_id, 'end_date', 'order', row.end_date);
    }
    for (const row of t.cp_plans) {
      if (!rng.bernoulli(rate)) continue;
      if (row.end_date && rng.bernoulli(0.5)) {
        row.end_date = before(row.start_date!, rng.int(1, 30));
        record('cp_plans', row.child_id, 'end_date', 'order', row.end_date);
      } else {
        row.initial_category = 'NEGL';
        record('cp_plans', row.child_id, 'initial_category', 'invalid-code', 'NEGL');
      }
    }
    for (const row of t.lac_episodes) {
      if (!rng.bernoulli(rate)) continue;
      const u = rng.next();
      if (u < 0.4) { row.placement_type = 'U9'; record('lac_episodes', row.child_id, 'placement_type', 'invalid-code', 'U9'); }
      else if (u < 0.7 && row.dec) { row.dec = before(row.decom!, rng.int(1, 30)); record('lac_episodes', row.child_id, 'dec', 'order', row.dec); }
      else { row.legal_status = null; record('lac_episodes', row.child_id, 'legal_status', 'missing', null); }
    }
    for (const row of t.early_help) {
      if (!row.completion_date || !rng.bernoulli(rate)) continue;
      row.completion_date = before(row.start_date!, rng.int(1, 20));
      record('early_help', row.child_id, 'completion_date', 'order', row.completion_date);
    }
  }
}

/** Drops a row whose key repeats an earlier row's (a safety net: the journeys are built not to repeat keys). */
function dedupe(name: TableName, rows: Record<string, unknown>[]): void {
  const key = TABLES[name].key as readonly string[];
  let w = 0;
  let previous: string | null = null;
  for (let r = 0; r < rows.length; r++) {
    const k = key.map((c) => String(rows[r][c])).join('\u0001');
    if (k === previous) continue;
    previous = k;
    rows[w++] = rows[r];
  }
  rows.length = w;
}

/** Simulates a synthetic authority. Deterministic: the same options give deep-equal tables. */
export function simulate(options: SynthOptions): SyntheticLA {
  const la = new Simulation({ ...DEFAULT_SYNTH_OPTIONS, ...options }).run();
  addSupervisions(la); // from the simulated workers, with its own random stream (writeWorkforce.ts)
  return la;
}
