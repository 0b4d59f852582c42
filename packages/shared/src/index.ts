// The curated public API of @slipway/shared. Everything an action imports comes from here.
export { type ComposeCommand, detectCompose, REMOTE_COMPOSE_FUNCTION } from './compose';
export { formatDuration, parseDuration } from './duration';
export { CommandError, InputError, isBug, toError, UserError } from './errors';
export { type CommandRunner, createCommandRunner, type ExecOptions, type ExecResult } from './exec';
export { InputReader, type InputSource, mapInputs, runnerInputs } from './inputs';
export { backoffDelay, isTransient, isTransientStatus, type RetryOptions, retry, sleep } from './retry';
export { type ActionEntry, runAction } from './run-action';
export { maskSecrets, registeredSecrets, registerSecret } from './secrets';
export { shellCommand, shellQuote } from './shell-quote';
export * from './ssh';
export { createStateStore, type StateStore } from './state';
export { appendSummary, details, escapeCell, escapeHtml, logGroup, markdownTable } from './summary';
