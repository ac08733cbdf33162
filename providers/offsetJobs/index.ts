export { ConnectorReplay, replayProblems, replayProvider } from "./replay";
export type { ConnectorReplayArgs, ReplayInputs, ReplayOutputs } from "./replay";
export { DeadLetterRedrive, redriveConfig, redriveProvider } from "./redrive";
export type { DeadLetterRedriveArgs, RedriveInputs, RedriveOutputs } from "./redrive";
export { redriveDone, redrivePlan, replayPlan } from "./plan";
