import type { EntryChecks } from '../compose-fleet/host-deploy';
import { formatDuration, timerDelay } from '../duration';
import { UserError } from '../errors';
import { maskSecrets } from '../secrets';
import type { Sample } from './assess';
import type { GateConfig } from './config';
import { awaitReady } from './readiness';
import { defaultGateDeps, runGate } from './run-gate';

/**
 * The entry point's checks of a rolling deploy (deploy-compose's `public-url`, with the gate's assertions):
 * `ready` waits, while old and new containers are both in rotation, until every URL answers as the new release
 * (a proxy that cannot reach the new containers keeps answering from the old ones, which `expect-version` tells
 * apart); `verify` is the whole gate once the old containers left the rotation, before any of them stops.
 */
/** What one answer was: its status (or error) and body excerpt, then why it did not pass. */
function describeAnswer(sample: Sample): string {
  const { evidence } = sample;
  const got =
    evidence.status !== undefined
      ? `HTTP ${evidence.status}`
      : (evidence.error ?? sample.code ?? 'no answer');
  const body = evidence.excerpt ? ` ${JSON.stringify(evidence.excerpt.trim().slice(0, 80))}` : '';
  return `it answered ${got}${body}: ${sample.reasons.join('; ')}`;
}

export function entryChecks(config: GateConfig, log: (message: string) => void): EntryChecks {
  return {
    async ready(what) {
      const deps = defaultGateDeps(config, log);
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(),
        timerDelay(config.readyTimeoutMs + config.timeoutMs),
      );
      try {
        for (const check of config.checks) {
          const ready = await awaitReady(check, config, deps, controller.signal);
          if (!ready.ready) {
            const answer = ready.last ? describeAnswer(ready.last) : 'no answer';
            throw new UserError(
              maskSecrets(
                `${what}: the entry point (public-url ${check.url}) did not answer as the new release within ${formatDuration(config.readyTimeoutMs)}, while the old containers were still in rotation: ${answer}. The switch was undone; the old containers serve on.`,
              ),
            );
          }
        }
      } finally {
        clearTimeout(timer);
        await deps.client.close();
      }
    },
    async verify(what) {
      const deps = defaultGateDeps(config, log);
      try {
        const result = await runGate(config, deps);
        if (result.result !== 'passed') {
          const failed = result.checks.filter((c) => c.result !== 'passed');
          throw new UserError(
            maskSecrets(
              `${what}: after the switch the entry point failed its checks (${failed.map((c) => `${c.url}: ${c.reason}`).join('; ')}). The switch was undone; the old containers serve on.`,
            ),
          );
        }
      } finally {
        await deps.client.close();
      }
    },
  };
}
