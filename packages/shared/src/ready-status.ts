/**
 * The statuses that mean "not up yet" rather than "broken" - the one definition: the health gate retries them
 * while it waits for readiness (smoke-test's `ready-status` default), and a host's HTTP check during a Compose
 * deploy (`http_ok` in remote/sh/lib.sh, given this list as READY_STATUS) keeps waiting on them. Any other
 * status of 400 or more is broken at once.
 */
export const READY_STATUS = '404,408,429,502,503,504';
