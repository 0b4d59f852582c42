// Where a deploy-compose step's time went, read from its own debug lines (timed-connect.ts writes one per SSH
// connection, remote command and upload: `NAME: LABEL: N ms (at X s)`, X the time since the action's process
// started), grouped into the phases of a one-service rolling upgrade.

export interface RollPhases {
  /** the process's start and the SSH connection, until it was up */
  connect: number;
  /** lock, history, the previous colour, the release's files, pull and compare */
  before: number;
  /** roll-up: the new container created, started, healthy, in rotation */
  newUp: number;
  switch: number;
  /**
   * from the switch to the process's exit: the old container queued to stop once drained (roll-finish), orphans,
   * the history written, the rest of the drain-period (waited out on the runner), the lock released
   */
  after: number;
}

const TIMED = /^::debug::.*?: (.+?):? (\d+) ms \(at ([\d.]+) s\)$/;

/** The phases of `log` (a step's runner log) for a step of `stepMs` rolling `service`; undefined if not found. */
export function rollPhases(log: string, stepMs: number, service: string): RollPhases | undefined {
  const lines = log
    .split('\n')
    .map((line) => TIMED.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, label, ms, at]) => ({ label, ms: Number(ms), endMs: Number(at) * 1000 }));
  const find = (prefix: string) => lines.findIndex((l) => l.label.startsWith(prefix));
  const connected = find('connected in');
  const up = find(`rolling ${service} (new containers)`);
  const switched = find(`rolling ${service} (the switch)`);
  if ([connected, up, switched].some((i) => i < 0)) return undefined;
  const [first, roll, sw] = [lines[connected], lines[up], lines[switched]];
  return {
    connect: first.endMs,
    before: roll.endMs - roll.ms - first.endMs,
    newUp: roll.ms,
    switch: sw.ms,
    after: stepMs - sw.endMs,
  };
}
