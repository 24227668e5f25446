// Validation of command-line option values, so a typo is refused with the option named instead of
// silently becoming NaN, a negative limit or a filter that matches nothing.
import { InvalidArgumentError } from 'commander';
import type { JobOutcome } from '../shared/workflow-api';

/** The outcome events `jobs list --outcome` filters on. */
export const JOB_OUTCOMES = [
  'completed',
  'completed_with_errors',
  'failed',
  'already_finished',
] as const satisfies readonly JobOutcome['event'][];

/** A commander argument parser for whole numbers from `min` to `max`. */
export function integerFrom(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}".`);
    return n;
  };
}
