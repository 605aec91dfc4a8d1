/**
 * Which steps `trace` prints: `--only-steps 1,500,1000-1010` (numbers and ranges), `--every N`
 * (N, 2N, 3N, …), both (their union), or all. Kept as ranges: `1-10000000` is two numbers.
 */
import { UsageError } from './args';

export class StepSelection {
  private constructor(
    private readonly ranges: readonly (readonly [number, number])[],
    private readonly every: number | undefined,
  ) {}

  static all(): StepSelection {
    return new StepSelection([], undefined);
  }

  /** From the two options' texts (undefined: not given); a malformed list is a usage error. */
  static parse(onlySteps: string | undefined, every: number | undefined): StepSelection {
    if (onlySteps === undefined) return new StepSelection([], every);
    const ranges = onlySteps.split(',').map((item): [number, number] => {
      const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(item);
      const a = m ? Number(m[1]) : NaN,
        b = m?.[2] !== undefined ? Number(m[2]) : a;
      if (!m || a < 1 || b < a || !Number.isSafeInteger(b))
        throw new UsageError(
          `--only-steps takes step numbers and ranges from 1, like 1,500,1000-1010; ${JSON.stringify(item.trim())} is not one`,
        );
      return [a, b];
    });
    return new StepSelection(ranges, every);
  }

  get isAll(): boolean {
    return this.ranges.length === 0 && this.every === undefined;
  }

  has(step: number): boolean {
    if (this.isAll) return true;
    if (this.every !== undefined && step % this.every === 0) return true;
    return this.ranges.some(([a, b]) => step >= a && step <= b);
  }

  /** A usage error when a listed step lies beyond a run of `total` steps (it would print nothing). */
  checkWithin(total: number): void {
    const beyond = this.ranges.find(([a]) => a > total);
    if (beyond)
      throw new UsageError(
        `--only-steps names step ${beyond[0]}, but the run has ${total} step${total === 1 ? '' : 's'} (set --steps to run more)`,
      );
    if (this.every !== undefined && this.every > total && this.ranges.length === 0)
      throw new UsageError(`--every ${this.every} selects no step of a run of ${total} step${total === 1 ? '' : 's'}`);
  }
}
