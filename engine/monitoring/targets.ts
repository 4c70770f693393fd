/**
 * Targets and milestones (issue 17): target plans read from `forms/targets/` (year, which groups
 * count as facilitated, quarterly milestones), targets and target groups in the database, and
 * progress per region and month.
 */
export { targetPlan, targetPlans, planForYear, milestoneFor, quarterOf, type TargetPlan, type FacilitationRule, type Milestone, type PlanProblem } from './target-plan.js';
export { ensureTargetTables, seedTargets, readTargets, saveTargets, targetHistory, saveTargetGroup, targetGroups, targetGroupFlag, type TargetValue, type TargetChange } from './target-store.js';
export { checkTargetInput, MAX_TARGET, type TargetInputProblem } from './target-values.js';
export {
  targetProgress, progressTotal, monthlyProgress, assess, ProgressQueryError, PROGRESS_COUNTS, type GroupStanding,
  type TargetProgress, type ProgressQuery, type ProgressRow, type ProgressTotal, type ProgressStatus, type Assessment, type MonthPoint, type ProgressSources,
} from './target-progress.js';
