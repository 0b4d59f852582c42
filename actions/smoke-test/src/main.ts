import * as core from '@actions/core';
import { UserError } from '@slipway/shared';
import { getInputs, type Inputs } from './inputs';

export interface Deps {
  fetch: typeof fetch;
}

export const defaultDeps = (): Deps => ({ fetch: globalThis.fetch });

export async function run(inputs: Inputs = getInputs(), deps: Deps = defaultDeps()): Promise<void> {
  const response = await deps.fetch(inputs.url, { signal: AbortSignal.timeout(inputs.timeoutMs) });
  const passed = response.ok;
  core.setOutput('result', passed ? 'passed' : 'failed');
  if (!passed) throw new UserError(`${inputs.url} answered ${response.status}, expected 2xx.`);
  core.info(`${inputs.url} answered ${response.status}.`);
}
