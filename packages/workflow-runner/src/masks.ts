import { maskText } from '@slipway/testing';

/**
 * What a job's log hides, as GitHub's runner does: every secret the job can reference (the workflow's, its
 * environment's, the job token) and every `::add-mask::` value a step registered, for the rest of the job.
 * A multi-line value is also hidden line by line (GitHub shows a multi-line secret as `***` lines).
 */
export class JobMasks {
  private readonly values = new Set<string>();

  constructor(secrets: Iterable<unknown> = []) {
    for (const secret of secrets) if (typeof secret === 'string') this.add(secret);
  }

  add(value: string): void {
    if (!value.trim()) return;
    this.values.add(value);
    if (/[\r\n]/.test(value)) {
      for (const line of value.split(/\r?\n/)) if (line.trim()) this.values.add(line.trim());
    }
  }

  /** `text` with every value replaced by `***`, the longest first (a value may contain a shorter one). */
  apply(text: string): string {
    return maskText(text, this.values);
  }
}
