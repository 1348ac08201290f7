export { CHECKS, CHECK_IDS, diffCards, type Card, type CardChange, type CheckId, type CheckResult, type Verdict } from './checks.ts';
export { createGrader, type CardUpdate, type Grader, type GraderOptions } from './grader.ts';
export { REAUTHORIZE_WITHIN_MS } from './step-up-checks.ts';
export type { GradingContext } from './evaluate.ts';
export { formatCard } from './format-card.ts';
export { createReportWriter, writeReport, type ReportWriter } from './report-file.ts';
export { inCausalOrder, type CausalOrder } from './causal-order.ts';
