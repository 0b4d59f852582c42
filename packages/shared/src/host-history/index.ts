export {
  type BadMark,
  currentRelease,
  type HistoryEntry,
  hostBadDigest,
  hostBadRelease,
  markReleaseBad,
  type ProxyKind,
  previousReleases,
  type ServicePlan,
} from './history-entry';
export {
  HISTORY_FILE,
  historyValues,
  parseHistory,
  pruneReleases,
  readHistory,
  writeHistory,
} from './history-file';
