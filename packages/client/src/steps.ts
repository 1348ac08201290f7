/**
 * Numbers and times the journey's steps, emitting `step.started` / `step.finished` and, at the
 * end, the per-step timings for the verdict line.
 */
import type { Emit } from '@mcp-auth-demo/trace';

export interface StepTiming {
  step: number;
  title: string;
  ms: number;
}

export class Steps {
  private readonly timings: StepTiming[] = [];
  private current: { step: number; title: string; startedAt: number } | undefined;
  private readonly journeyStartedAt = performance.now();

  constructor(private readonly emit: Emit) {}

  /** Ends the running step, if any, and starts the next one. */
  start(title: string): void {
    this.finish();
    const step = this.timings.length + 1;
    this.current = { step, title, startedAt: performance.now() };
    this.emit('step.started', { step, title });
  }

  finish(): void {
    if (!this.current) return;
    const { step, title, startedAt } = this.current;
    const ms = Math.round(performance.now() - startedAt);
    this.timings.push({ step, title, ms });
    this.emit('step.finished', { step, title, ms });
    this.current = undefined;
  }

  /** The step running now (for a failure message). */
  get running(): { step: number; title: string } | undefined {
    return this.current && { step: this.current.step, title: this.current.title };
  }

  get all(): StepTiming[] {
    return [...this.timings];
  }

  get elapsedMs(): number {
    return Math.round(performance.now() - this.journeyStartedAt);
  }
}
