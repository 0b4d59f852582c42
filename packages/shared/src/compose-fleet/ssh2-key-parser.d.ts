// ssh2's key parser on its own (`utils.parseKey` of the package is this module's `parseKey`): ssh-credentials.ts
// loads it without the rest of ssh2.
declare module 'ssh2/lib/protocol/keyParser.js' {
  import type { utils } from 'ssh2';

  export const parseKey: typeof utils.parseKey;
}
