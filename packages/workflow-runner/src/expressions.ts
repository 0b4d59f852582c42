import { type ExpressionData, githubTools } from './github-tools';

/** The status functions' answers for the job or step being evaluated. */
export interface Status {
  success: boolean;
  failure: boolean;
  cancelled?: boolean;
}

export type Contexts = Record<string, unknown>;

const CONTEXT_NAMES = [
  'github',
  'inputs',
  'vars',
  'secrets',
  'needs',
  'steps',
  'env',
  'job',
  'jobs',
  'runner',
  'matrix',
  'strategy',
];
const TEMPLATE = /\$\{\{(.*?)\}\}/gs;

function evaluateRaw(expression: string, contexts: Contexts, status?: Status): ExpressionData {
  const t = githubTools();
  const fns = [
    { name: 'success', minArgs: 0, maxArgs: 0, call: () => new t.data.BooleanData(status?.success ?? true) },
    { name: 'failure', minArgs: 0, maxArgs: 0, call: () => new t.data.BooleanData(status?.failure ?? false) },
    { name: 'always', minArgs: 0, maxArgs: 0, call: () => new t.data.BooleanData(true) },
    {
      name: 'cancelled',
      minArgs: 0,
      maxArgs: 0,
      call: () => new t.data.BooleanData(status?.cancelled ?? false),
    },
  ];
  const { tokens } = new t.Lexer(expression).lex();
  const ast = new t.Parser(tokens, CONTEXT_NAMES, status ? fns : []).parse();
  const data = JSON.parse(JSON.stringify(contexts), t.data.reviver as (k: string, v: unknown) => unknown);
  return new t.Evaluator(ast, data, new Map(fns.map((f) => [f.name, f]))).evaluate();
}

function toPlain(value: ExpressionData): unknown {
  const t = githubTools();
  return JSON.parse(JSON.stringify(value, t.data.replacer as (k: string, v: unknown) => unknown));
}

/**
 * Evaluates a workflow value: text with `${{ }}` parts becomes text (each part coerced as GitHub does); a value
 * that is exactly one `${{ }}` keeps its type (for `fromJSON`, booleans, numbers).
 */
export function evaluateValue(value: unknown, contexts: Contexts): unknown {
  if (typeof value !== 'string') return value;
  const whole = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(value);
  if (whole && !whole[1].includes('}}')) return toPlain(evaluateRaw(whole[1], contexts));
  return value.replace(TEMPLATE, (_m, expr: string) => evaluateRaw(expr, contexts).coerceString());
}

/** Evaluates a value to text, as `with:` and `env:` values are passed on. */
export function evaluateText(value: unknown, contexts: Contexts): string {
  const result = evaluateValue(value, contexts);
  if (result === null || result === undefined) return '';
  return typeof result === 'string'
    ? result
    : typeof result === 'object'
      ? JSON.stringify(result)
      : String(result);
}

/**
 * Evaluates an `if:` condition: with or without `${{ }}`; without a status function the condition is
 * implicitly `success() && (...)`, as on GitHub.
 */
export function evaluateCondition(condition: unknown, contexts: Contexts, status: Status): boolean {
  if (condition === undefined || condition === null || condition === '') return status.success;
  if (typeof condition === 'boolean') return status.success && condition;
  let text = String(condition).trim();
  const whole = /^\$\{\{(.*)\}\}$/s.exec(text);
  if (whole) text = whole[1];
  if (!/\b(success|failure|always|cancelled)\s*\(/.test(text)) text = `success() && (${text})`;
  const result = evaluateRaw(text, contexts, status);
  return isTruthy(toPlain(result));
}

function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  return !(typeof value === 'number' && Number.isNaN(value));
}
