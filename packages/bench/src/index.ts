export { runBench, printReport } from './bench.ts';
export { formatReport, judge, type BenchReport, type Target } from './report.ts';
export { formatSoak, runSoak, type SoakReport } from './soak.ts';
