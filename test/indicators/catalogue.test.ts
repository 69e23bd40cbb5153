// The whole catalogue on a synthetic authority loaded through the real readers: every indicator runs for
// every period kind and breakdown it declares; the children listed behind every figure add up to exactly
// the numerator and denominator shown; breakdown groups add up to the whole; and each figure lies in the
// range the synthetic authority was made to produce (see PLAUSIBLE below and src/synth/simulate.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store.ts';
import { Engine, type Figure } from '../../src/engine.ts';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { expectRowsAddUp } from '../helpers/fixture.ts';
import { INDICATORS } from '../../src/indicators/index.ts';
import { THEMES } from '../../src/indicators/types.ts';
import { month, yearToDate, rolling12, reportingYear } from '../../src/periods.ts';
import { runList } from '../../src/lists/index.ts';

let demo: DemoStore;
let store: Store;
let engine: Engine;

beforeAll(async () => {
  demo = await demoStore({ population: 12_000, years: 2, seed: 21 });
  store = demo.store;
  engine = new Engine(store);
}, 300_000);
afterAll(() => {
  engine?.close();
  demo?.close();
});

// What a real English authority's figures look like (DfE's published ranges, rounded outwards), which the
// synthetic authority was made to produce. Counts are per 10,000 children a year (the test authority has
// 12,000), read over the rolling 12 months for events and at the month's end for stocks. A figure outside its
// range means a wrong indicator or a wrong simulation; 'small' marks figures too small in 12,000 children to
// judge: they may be missing, or rest on fewer than 20 children.
type Range = readonly [number, number] | readonly [number, number, 'small'];
const PER_10K: Record<string, Range> = {
  'front_door.contacts_received': [1000, 4000], 'front_door.early_help_completed': [100, 800],
  'front_door.step_down_children': [5, 100], 'front_door.step_down_families': [5, 100],
  'referrals.count': [350, 800], 'assessments.completed': [300, 800], 'assessments.open_over_45_days': [0, 40],
  'section47.started': [50, 250], 'section47.icpcs': [30, 100],
  'child_protection.on_plan': [20, 70], 'child_protection.plans_started': [20, 80], 'child_protection.plans_ended': [20, 80],
  'children_in_need.count': [200, 500], 'children_in_need.excluding_cp_lac': [100, 400], 'children_in_need.cin_plans_over_6m': [10, 150],
  'children_in_care.looked_after': [40, 120], 'children_in_care.started': [10, 50], 'children_in_care.ceased': [10, 50],
  'children_in_care.missing_episodes': [5, 100], 'children_in_care.children_missing': [2, 40],
  'permanence.adoptions': [0, 10, 'small'], 'permanence.special_guardianship_orders': [0, 10, 'small'],
  'permanence.placement_orders_not_placed': [0, 10, 'small'], 'permanence.adoption_decisions_reversed': [0, 5, 'small'],
  'care_proceedings.issued': [5, 40], 'workforce.unallocated': [0, 20],
};
const VALUE: Record<string, Range> = {
  'front_door.early_help_rate': [100, 800], 'referrals.rate': [350, 800], 'section47.rate': [50, 250],
  'child_protection.rate': [20, 70], 'children_in_need.rate': [200, 500], 'children_in_care.looked_after_rate': [40, 120],
  'front_door.decided_in_timescale': [60, 100], 'front_door.decided_within_24_hours': [40, 100], 'front_door.contact_to_referral': [10, 50],
  'front_door.early_help_in_timescale': [40, 100], 'front_door.early_help_by_partners': [20, 80],
  'referrals.re_referrals_12m': [10, 35], 'referrals.nfa': [2, 20], 'referrals.to_assessment': [70, 99],
  'assessments.within_45_days': [60, 99], 'assessments.child_seen': [85, 100], 'assessments.no_further_support': [15, 50],
  'assessments.average_working_days': [15, 45],
  'section47.to_icpc': [25, 75], 'section47.icpc_within_15_days': [60, 100], 'section47.icpc_to_plan': [50, 95],
  'child_protection.second_or_subsequent': [10, 40], 'child_protection.repeat_within_2y': [0, 20], 'child_protection.ended_after_2y': [0, 15],
  'child_protection.open_2y': [0, 10], 'child_protection.visits_in_timescale': [70, 100], 'child_protection.reviews_in_timescale': [70, 100],
  'children_in_need.visits_in_timescale': [60, 100], 'children_in_need.with_plan': [50, 100],
  'children_in_care.legal_section20': [5, 40], 'children_in_care.legal_care_order': [40, 90], 'children_in_care.legal_placement_order': [0, 15],
  'children_in_care.placed_in_house_fostering': [30, 75], 'children_in_care.placed_ifa': [5, 40], 'children_in_care.placed_residential': [3, 25],
  'children_in_care.reviews_in_timescale': [70, 100], 'children_in_care.visits_in_timescale': [70, 100], 'children_in_care.placements_3_plus': [2, 20],
  'children_in_care.long_term_stability': [50, 95], 'children_in_care.initial_health_assessment_20wd': [30, 100],
  'children_in_care.health_assessments_up_to_date': [70, 100], 'children_in_care.dental_checks_up_to_date': [50, 100],
  'children_in_care.peps_up_to_date': [70, 100],
  'care_leavers.in_touch_19_21': [80, 100], 'care_leavers.eet_19_21': [35, 80], 'care_leavers.suitable_accommodation_19_21': [70, 100],
  'care_leavers.in_touch_17_18': [70, 100, 'small'], 'care_leavers.eet_17_18': [30, 100, 'small'],
  'care_leavers.suitable_accommodation_17_18': [60, 100, 'small'],
  'permanence.a1_days_to_adoptive_family': [150, 800, 'small'], 'permanence.a2_days_placement_order_to_match': [30, 400, 'small'],
  'permanence.a10_days_adjusted_for_foster_carers': [150, 800, 'small'],
  'care_proceedings.within_26_weeks': [0, 80], 'care_proceedings.average_weeks': [15, 60],
  'aggregate.front_door_calls_answered': [70, 100], 'aggregate.front_door_average_wait_seconds': [10, 300],
  'aggregate.early_help_family_rating_good': [70, 100], 'aggregate.care_leavers_neet_19_21': [20, 60],
  'workforce.average_caseload': [8, 30], 'workforce.max_caseload': [10, 60], 'workforce.agency_rate': [0, 35], 'workforce.turnover': [0, 40],
  'workforce.supervision_in_timescale': [50, 100],
  'csww.agency_rate': [3, 35], 'csww.vacancy_rate': [3, 35], 'csww.turnover': [3, 40], 'csww.absence_rate': [1, 8],
  'voice.early_help_rated_good': [60, 100, 'small'], 'voice.early_help_felt_listened_to': [60, 100, 'small'],
  'voice.children_felt_listened_to': [40, 100, 'small'],
};

const PERIODS = [month('2025-01'), yearToDate('2025-01'), rolling12('2025-01'), reportingYear(2024)];

describe('the indicator catalogue', () => {
  it('has unique ids, a theme, a definition and a source for every indicator, in theme order', () => {
    expect(INDICATORS.length).toBeGreaterThan(50);
    const themes = Object.keys(THEMES);
    let last = 0;
    for (const i of INDICATORS) {
      expect(i.id).toMatch(/^[a-z0-9_]+\.[a-z0-9_]+$/);
      expect(themes.indexOf(i.theme), i.id).toBeGreaterThanOrEqual(last);
      last = themes.indexOf(i.theme);
      expect(i.title.length, i.id).toBeGreaterThan(5);
      expect(i.definition.length, i.id).toBeGreaterThan(40);
      expect(i.source.length, i.id).toBeGreaterThan(5);
      expect(i.numeratorLabel.length, i.id).toBeGreaterThan(2);
    }
    expect(new Set(INDICATORS.map((i) => i.id)).size).toBe(INDICATORS.length);
  });

  it('lists children behind every figure that add up exactly to its numerator and denominator', async () => {
    await expectRowsAddUp(engine, INDICATORS, PERIODS);
  }, 400_000); // every indicator × 4 periods with its child rows: about a minute on a quiet 2-core machine

  it('breaks every indicator down by each breakdown it declares, the groups adding up to the whole', async () => {
    const p = rolling12('2025-01');
    for (const ind of INDICATORS) {
      const [whole] = await engine.compute(ind, [p]);
      for (const b of ind.breakdowns) {
        const groups = await engine.compute(ind, [p], { breakdown: b });
        if (b === 'factor' || ind.aggregate === 'max' || ind.unit === 'rate') continue; // factors overlap; maxima and rates do not add
        const what = `${ind.id} by ${b}`;
        expect(groups.reduce((s, g) => s + g.numerator, 0), what).toBeCloseTo(whole.numerator, 6);
        if (whole.denominator !== null) expect(groups.reduce((s, g) => s + (g.denominator ?? 0), 0), what).toBeCloseTo(whole.denominator, 6);
      }
    }
  }, 400_000);


  it('gives every indicator a figure in the range a real authority has (the synthetic authority was made to)', async () => {
    const lines = await engine.scorecard('2025-01');
    const outside: string[] = [];
    for (const l of lines) {
      const id = l.indicator.id;
      const f = l.indicator.measure === 'flow' ? l.rolling12! : l.month;
      const range = PER_10K[id] ?? VALUE[id];
      expect(range, `${id} has no plausible range in this test`).toBeDefined();
      const value = PER_10K[id] ? (f.value ?? 0) * (10_000 / 12_000) : f.value;
      if (value === null) {
        if (range[2] !== 'small') outside.push(`${id}: no figure`);
      } else if (range[2] === 'small' && f.denominator !== null && f.denominator < 20) {
        // a percentage or average of fewer than 20 young people or children: too few to judge
      } else if (value < range[0] || value > range[1]) outside.push(`${id}: ${value.toFixed(1)} outside ${range[0]}–${range[1]}`);
    }
    expect(outside).toEqual([]);
  });

  it('computes the whole scorecard with 13-month trends, each trend month equal to the month asked alone', async () => {
    const lines = await engine.scorecard('2025-01');
    expect(lines.length).toBe(INDICATORS.length);
    for (const l of lines) {
      expect(l.trend).toHaveLength(13);
      expect(l.trend[12]).toEqual(l.month);
    }
    const sample = lines.filter((_, i) => i % 7 === 0);
    for (const l of sample) {
      const alone: Figure = (await engine.compute(l.indicator, [month('2024-06')]))[0];
      expect(l.trend[5], l.indicator.id).toEqual(alone);
    }
  });

  it('operational lists agree with the indicators that count the same children (month ends on a weekday and a Saturday)', async () => {
    for (const m of ['2025-01', '2024-11']) {
      const p = month(m);
      const red = async (list: string) => (await runList(store, list, { asAt: p.end })).filter((r) => r.rag === 'red').map((r) => r.child_id).sort();
      const failing = async (id: string, inNumerator: boolean) =>
        (await engine.rows(id, p)).filter((r) => (r.in_denominator || inNumerator) && r.in_numerator === inNumerator).map((r) => r.child_id as string).sort();
      expect(await red('assessments_open'), m).toEqual(await failing('assessments.open_over_45_days', true));
      expect(await red('cp_visits_due'), m).toEqual(await failing('child_protection.visits_in_timescale', false));
      expect(await red('cp_plans_over_2_years'), m).toEqual(await failing('child_protection.open_2y', true));
    }
  });
});
