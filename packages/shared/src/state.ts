import * as core from '@actions/core';

/**
 * Typed state handed from the main step to the post step. Values are stored as JSON under their key;
 * a missing or unreadable value reads as undefined (a post step must cope with a main step that stopped early).
 */
export interface StateStore<T extends object> {
  save<K extends keyof T & string>(key: K, value: T[K]): void;
  get<K extends keyof T & string>(key: K): T[K] | undefined;
}

export function createStateStore<T extends object>(): StateStore<T> {
  return {
    save(key, value) {
      core.saveState(key, JSON.stringify(value));
    },
    get(key) {
      const raw = core.getState(key);
      if (!raw) return undefined;
      try {
        return JSON.parse(raw);
      } catch {
        return undefined;
      }
    },
  };
}
