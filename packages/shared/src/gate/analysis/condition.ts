/**
 * A metric's success or failure condition: comparisons of `result` with numbers, joined by `and`, e.g.
 * `result < 0.01`, `result == 0`, `0.95 <= result <= 1`, `result >= 0.9 and result < 2`. Parsed once into
 * bounds, so a typo is an input error before the bake starts, and no expression language is evaluated.
 */
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Comparison {
  op: Operator;
  value: number;
}

export interface Condition {
  /** As the user wrote it, for reports. */
  text: string;
  /** Every comparison must hold (`result OP value`). */
  all: Comparison[];
}

export class ConditionError extends Error {}

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?`;
const OP = '<=|>=|==|!=|<|>';
const FLIP: Record<Operator, Operator> = {
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
  '==': '==',
  '!=': '!=',
};

export function parseCondition(text: string): Condition {
  const trimmed = text.trim();
  if (!trimmed) throw new ConditionError('is empty');
  const all: Comparison[] = [];
  for (const part of trimmed.split(/\s+and\s+|\s*&&\s*/i)) all.push(...parseClause(part.trim()));
  return { text: trimmed, all };
}

/** `result OP n`, `n OP result`, or the range `n OP result OP m`. */
function parseClause(clause: string): Comparison[] {
  const range = new RegExp(`^(${NUMBER})\\s*(${OP})\\s*result\\s*(${OP})\\s*(${NUMBER})$`, 'i').exec(clause);
  if (range) {
    return [
      { op: FLIP[range[2] as Operator], value: number(range[1]) },
      { op: range[3] as Operator, value: number(range[4]) },
    ];
  }
  const right = new RegExp(`^result\\s*(${OP})\\s*(${NUMBER})$`, 'i').exec(clause);
  if (right) return [{ op: right[1] as Operator, value: number(right[2]) }];
  const left = new RegExp(`^(${NUMBER})\\s*(${OP})\\s*result$`, 'i').exec(clause);
  if (left) return [{ op: FLIP[left[2] as Operator], value: number(left[1]) }];
  throw new ConditionError(
    `has ${JSON.stringify(clause)}, which is not a comparison of "result" with a number (such as "result < 0.01", "result == 0" or "0.9 <= result <= 1")`,
  );
}

function number(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new ConditionError(`has ${text}, which is not a finite number`);
  return value;
}

/** True when `value` meets every comparison. NaN meets none (the caller treats it as "no data"). */
export function holds(condition: Condition, value: number): boolean {
  if (Number.isNaN(value)) return false;
  return condition.all.every(({ op, value: bound }) => compare(value, op, bound));
}

function compare(value: number, op: Operator, bound: number): boolean {
  switch (op) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '==':
      return value === bound;
    case '!=':
      return value !== bound;
  }
}

/**
 * The value a chart draws as the threshold: the bound closest to failing (the lower bound of a "stay above",
 * the upper of a "stay below"). Undefined for `!=`-only conditions.
 */
export function thresholds(condition: Condition): number[] {
  return [...new Set(condition.all.filter((c) => c.op !== '!=').map((c) => c.value))];
}
