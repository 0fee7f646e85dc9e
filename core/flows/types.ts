// The shapes of a parsed flow (what the runner executes) and of its results (what reporters print).
// Results never hold a secret: the runner redacts every text before it goes into one.

/** 1-based line and column in the flow file. */
export interface Position {
  line: number;
  column: number;
}

export interface FlowDiagnostic extends Position {
  file: string;
  severity: 'error' | 'warning';
  message: string;
  /** Stable identifier of the check, for tests and quick fixes. */
  rule: string;
}

export interface VarSpec {
  value: unknown;
  secret: boolean;
}

export interface ExpectSpec {
  /** Codes as written (they may hold `${…}`); any of them passes. */
  reasonCodes?: string[];
  fields?: Record<string, unknown>;
  at: Position;
}

export interface SimulatorSpec {
  otp?: string;
  offset?: number;
  advanceClock?: string;
  deliveries?: string;
}

export interface RetrySpec {
  until: ExpectSpec;
  attempts: number;
  intervalMs: number;
  at: Position;
}

export interface StepSpec {
  index: number;
  name: string;
  at: Position;
  /** A request file (absolute path), an inline request, or a simulator step. */
  request?: string;
  send?: Record<string, unknown>;
  with?: Record<string, unknown>;
  expect?: ExpectSpec;
  capture?: Record<string, string>;
  retry?: RetrySpec;
  simulator?: SimulatorSpec;
}

export interface CaseSpec {
  index: number;
  vars: Record<string, VarSpec>;
  at: Position;
}

export interface FlowSpec {
  file: string;
  name: string;
  /** `simulator` or an environment name. */
  target: string;
  clock?: string;
  vars: Record<string, VarSpec>;
  cases?: CaseSpec[];
  steps: StepSpec[];
  at: Position;
}

export type StepStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** Why a step did not pass: an expectation (exit 1), the transport (exit 3) or the flow itself (exit 2). */
export type ProblemKind = 'expectation' | 'transport' | 'flow';

export interface StepProblem {
  kind: ProblemKind;
  /** One line, redacted. */
  message: string;
  /** Redacted text of the expected and actual values (expectations only). */
  expected?: string;
  actual?: string;
  /** More lines: the catalog's explanation of the codes, a hint. */
  details?: string[];
  /** Where the problem is: the `expect` (or `retry`) node, else the step. */
  at: Position;
}

export interface StepResult {
  index: number;
  name: string;
  at: Position;
  status: StepStatus;
  reasonCode?: string;
  durationMs: number;
  attempts?: number;
  problem?: StepProblem;
  skipReason?: string;
  /** Redacted request and response texts (or the simulator call). */
  transcript: string[];
}

export interface FlowResult {
  file: string;
  name: string;
  /** Set when the flow has cases: 0-based index and a label made of the case's (redacted) variables. */
  caseIndex?: number;
  caseLabel?: string;
  at: Position;
  status: StepStatus;
  skipReason?: string;
  durationMs: number;
  steps: StepResult[];
}
