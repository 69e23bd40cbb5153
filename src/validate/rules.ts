// Every validate rule, by return. A new family file (src/validate/<return>/<family>.ts) is added here once.
import type { Rule } from './types.ts';
import cinChildProtectionPlans from './cin/childProtectionPlans.ts';
import cinPlanDates from './cin/cinPlanDates.ts';
import cinChildIdentifiers from './cin/childIdentifiers.ts';
import cinDisabilities from './cin/disabilities.ts';
import cinSection47 from './cin/section47.ts';
import cinDetails from './cin/cinDetails.ts';
import cinAssessments from './cin/assessments.ts';
import ssda903Adoption from './ssda903/adoption.ts';
import ssda903Episodes from './ssda903/episodes.ts';
import ssda903Internal from './ssda903/internal.ts';
import ssda903SwEpisodes from './ssda903/swEpisodes.ts';
import ssda903EpisodeChanges from './ssda903/episodeChanges.ts';
import ssda903Continuity from './ssda903/continuity.ts';
import ssda903AdoptionDecisions from './ssda903/adoptionDecisions.ts';
import ssda903MissingPeriods from './ssda903/missingPeriods.ts';
import ssda903ChildDetails from './ssda903/childDetails.ts';
import ssda903PlacementLocation from './ssda903/placementLocation.ts';
import ssda903CareLeavers from './ssda903/careLeavers.ts';
import ssda903Health from './ssda903/health.ts';
import ssda903Placements from './ssda903/placements.ts';
import ssda903HeaderChecks from './ssda903/headerChecks.ts';
import ssda903AdoptionDecisionDates from './ssda903/adoptionDecisionDates.ts';
import ssda903Ofsted from './ssda903/ofsted.ts';
import ssda903UascHistory from './ssda903/uascHistory.ts';

export const VALIDATE_RULES: readonly Rule[] = [
  // CIN census
  ...cinChildProtectionPlans, ...cinPlanDates,
  ...cinChildIdentifiers, ...cinDisabilities, ...cinSection47, ...cinDetails, ...cinAssessments,
  // SSDA903
  ...ssda903Episodes, ...ssda903Adoption, ...ssda903Internal, ...ssda903SwEpisodes,
  ...ssda903EpisodeChanges,
  ...ssda903Continuity,
  ...ssda903AdoptionDecisions,
  ...ssda903MissingPeriods,
  ...ssda903ChildDetails,
  ...ssda903PlacementLocation,
  ...ssda903CareLeavers,
  ...ssda903Health,
  ...ssda903Placements,
  ...ssda903HeaderChecks, ...ssda903AdoptionDecisionDates,
  ...ssda903Ofsted,
  ...ssda903UascHistory,
];
