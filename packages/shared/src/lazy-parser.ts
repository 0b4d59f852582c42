// The parsers only some inputs need (yaml, ssh2's key parser) are ~250 KB of code each: bundled with the entry,
// compiling them took more of the start-up than everything else the entry runs. They sit in chunks of their own
// (`await import()`), and the input parser stays synchronous: reading an input whose parser is not loaded yet
// throws ParserNotLoaded, and `readInputs` (inputs.ts) loads that parser and reads the inputs again (README,
// Decisions: lazy loading).

/** Thrown by a lazy parser used before it is loaded; `readInputs` loads it and reads again. */
export class ParserNotLoaded extends Error {
  constructor(
    what: string,
    readonly load: () => Promise<void>,
  ) {
    super(`${what} is used before it is loaded: read the inputs through readInputs().`);
    this.name = 'ParserNotLoaded';
  }
}

/** A module loaded by `load` when first needed; calling the result before that throws ParserNotLoaded. */
export interface LazyParser<T> {
  (): T;
  load(): Promise<void>;
}

export function lazyParser<T>(what: string, importer: () => Promise<T>): LazyParser<T> {
  let loaded: T | undefined;
  const load = async () => {
    loaded ??= await importer();
  };
  const get = () => {
    if (loaded === undefined) throw new ParserNotLoaded(what, load);
    return loaded;
  };
  return Object.assign(get, { load });
}

/** yaml, for the YAML inputs (`InputReader.yaml`, the analysis spec). */
export const yamlParser = lazyParser('yaml', () => import('yaml'));
