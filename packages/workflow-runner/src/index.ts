export { type Contexts, evaluateCondition, evaluateText, evaluateValue, type Status } from './expressions';
export {
  type ActionStandIn,
  type EnvironmentSettings,
  type JobRecord,
  localActionDir,
  type Result,
  type RunWorkflowOptions,
  runWorkflow,
  type StandInContext,
  type StepRecord,
  type TimelineEvent,
  type WorkflowResult,
} from './runner';
export type { StepOutcome } from './steps';
export { jobOrder, loadWorkflow } from './workflow-file';
