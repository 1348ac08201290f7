export { CHECKS, CHECK_IDS, diffCards, type Card, type CardChange, type CheckId, type CheckResult, type Verdict } from './checks.ts';
export { createGrader, type CardUpdate, type Grader, type GraderOptions } from './grader.ts';
export { REAUTHORIZE_WITHIN_MS } from './step-up-checks.ts';
export type { GradingContext } from './evaluate.ts';
export { formatCard, formatServerCard } from './format-card.ts';
export { SERVER_CHECKS, SERVER_CHECK_IDS, type ServerCard, type ServerCheckId, type ServerCheckResult } from './server/server-checks.ts';
export { gradeServer, type GradeServerInput } from './server/grade-server.ts';
export { createReportWriter, writeReport, type ReportWriter } from './report-file.ts';
export { inCausalOrder, type CausalOrder } from './causal-order.ts';
