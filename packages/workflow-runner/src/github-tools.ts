import { join } from 'node:path';

/** The parts of @actions/workflow-parser and @actions/expressions we use (loaded through scripts/workflow-tools.js). */
export interface ExpressionData {
  kind: number;
  coerceString(): string;
}

export interface GitHubTools {
  parseWorkflow(
    file: { name: string; content: string },
    trace: unknown,
  ): { value?: unknown; context: { errors: { getErrors(): Array<{ message: string }> } } };
  NoOperationTraceWriter: new () => unknown;
  Lexer: new (text: string) => { lex(): { tokens: unknown[] } };
  Parser: new (tokens: unknown[], contexts: string[], functions: FunctionInfo[]) => { parse(): unknown };
  Evaluator: new (
    expr: unknown,
    context: unknown,
    functions?: Map<string, FunctionInfo & { call: () => ExpressionData }>,
  ) => { evaluate(): ExpressionData };
  data: {
    reviver: (key: string, value: unknown) => unknown;
    replacer: (key: string, value: unknown) => unknown;
    BooleanData: new (value: boolean) => ExpressionData;
    Dictionary: new () => unknown;
  };
}

export interface FunctionInfo {
  name: string;
  minArgs: number;
  maxArgs: number;
}

let tools: GitHubTools | undefined;

/** GitHub's parser and evaluator, bundled for Node 20 once (see scripts/workflow-tools.js). */
export function githubTools(): GitHubTools {
  if (!tools) {
    // A plain CommonJS script makes the bundle at run time (see scripts/workflow-tools.js).
    const { loadWorkflowTools } = require(join(__dirname, '../../../scripts/workflow-tools.js'));
    tools = loadWorkflowTools() as GitHubTools;
  }
  return tools;
}
