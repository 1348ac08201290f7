export { runBench, printReport } from './bench.ts';
export { formatReport, judge, type BenchReport, type Target } from './report.ts';
export { formatSoak, parseSoakArgs, runSoak, type SoakOptions, type SoakReport } from './soak.ts';
