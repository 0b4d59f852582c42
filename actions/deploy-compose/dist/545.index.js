"use strict";
exports.id = 545;
exports.ids = [545];
exports.modules = {

/***/ 545:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  m: () => (/* binding */ defaultDeps),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ../../node_modules/@actions/core/lib/core.js
var lib_core = __webpack_require__(7184);
;// CONCATENATED MODULE: ../../packages/shared/src/ssh/timed-connect.ts
/**
 * `connect` whose sessions tell `debug` how long the connection and each remote command or upload took (the
 * runner shows it with step debug on), so a slow deploy says where its time went.
 */
function timedConnect(connect, debug) {
    // how long it took, and when it ended since the action's process started
    const since = (started) => `${Date.now() - started} ms (at ${process.uptime().toFixed(2)} s)`;
    return async (options) => {
        const started = Date.now();
        const session = await connect(options);
        debug(`${session.name}: connected in ${since(started)}`);
        return {
            name: session.name,
            close: () => session.close(),
            ...(session.forward ? { forward: session.forward.bind(session) } : {}),
            async exec(script, execOptions) {
                const at = Date.now();
                try {
                    return await session.exec(script, execOptions);
                }
                finally {
                    debug(`${session.name}: ${execOptions?.label ?? 'a command'}: ${since(at)}`);
                }
            },
            async upload(remotePath, content, mode) {
                const at = Date.now();
                try {
                    return await session.upload(remotePath, content, mode);
                }
                finally {
                    debug(`${session.name}: upload of ${remotePath}: ${since(at)}`);
                }
            },
        };
    };
}

// EXTERNAL MODULE: ../../node_modules/ssh2/lib/index.js
var lib = __webpack_require__(20972);
// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __webpack_require__(51110);
// EXTERNAL MODULE: ../../packages/shared/src/retry.ts
var retry = __webpack_require__(55931);
// EXTERNAL MODULE: ../../packages/shared/src/ssh/known-hosts.ts
var known_hosts = __webpack_require__(36761);
;// CONCATENATED MODULE: ../../packages/shared/src/ssh/host-key-policy.ts


/**
 * Decides whether `key` (the blob the host offered) is the host's key. A known_hosts line for this host with the
 * same key type but another key means the key CHANGED (possible man in the middle) and wins over nothing else:
 * like OpenSSH, a matching key of the type offered is required.
 */
function verifyHostKey(policy, host, port, key) {
    const fingerprint = (0,known_hosts/* fingerprintOf */.ax)(key);
    const keyType = (0,known_hosts/* keyTypeOf */.zj)(key);
    const entries = (policy.knownHosts ?? []).filter((entry) => (0,known_hosts/* entryMatches */.Yn)(entry, host, port));
    if (entries.some((entry) => entry.revoked && entry.key.equals(key))) {
        return { ok: false, fingerprint, keyType, reason: 'revoked' };
    }
    if (policy.insecureSkip)
        return { ok: true, fingerprint, keyType };
    const normalized = (policy.fingerprints ?? []).map((f) => f.trim().replace(/=+$/, ''));
    if (normalized.includes(fingerprint))
        return { ok: true, fingerprint, keyType };
    const plain = entries.filter((entry) => !entry.revoked);
    if (plain.some((entry) => entry.keyType === keyType && entry.key.equals(key))) {
        return { ok: true, fingerprint, keyType };
    }
    const changed = plain.some((entry) => entry.keyType === keyType) || normalized.length > 0;
    return { ok: false, fingerprint, keyType, reason: changed ? 'changed' : 'unknown' };
}
/** The error for a refused host key: what the host offered and the two ways to fix it. */
function hostKeyError(target, host, port, verdict) {
    if (verdict.ok)
        throw new Error('hostKeyError called for an accepted key');
    const name = (0,known_hosts/* knownHostName */.nF)(host, port);
    const what = {
        unknown: 'is not in known-hosts and matches no fingerprint given for it',
        changed: 'DOES NOT MATCH the key recorded for it (it changed, or someone is in the middle)',
        revoked: 'is marked @revoked in known-hosts',
    }[verdict.reason];
    return new errors/* UserError */.yo([
        `Refused to connect to ${target}: its ${verdict.keyType} host key ${verdict.fingerprint} ${what}. Nothing was run on it.`,
        'If this key is the right one, check it out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and then',
        `either add the line from "ssh-keyscan -p ${port} ${host}" (it starts with ${name}) to the known-hosts input,`,
        `or give the fingerprint: ${verdict.fingerprint}.`,
    ].join('\n'));
}
/** The host-key algorithms ssh2 offers by default, in its order of preference. */
const DEFAULT_HOST_KEY_ALGORITHMS = [
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
    'rsa-sha2-512',
    'rsa-sha2-256',
    'ssh-rsa',
];
/** The signature algorithms a known_hosts key type can be verified with. */
function algorithmsFor(keyType) {
    if (keyType === 'ssh-rsa')
        return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    return /^(ssh-ed25519|ssh-dss|ecdsa-sha2-nistp(256|384|521))$/.test(keyType) ? [keyType] : [];
}
/**
 * The host-key algorithms to offer this host, as OpenSSH orders them: those of the key types known_hosts holds
 * for it first, then the others. A host with ed25519 and RSA keys, known by its RSA key only, then shows its RSA
 * key instead of an ed25519 one nobody can check. Undefined (ssh2's defaults) when no key of the host is known.
 */
function hostKeyAlgorithms(policy, host, port) {
    if (policy.insecureSkip)
        return undefined;
    const known = new Set((policy.knownHosts ?? [])
        .filter((entry) => !entry.revoked && (0,known_hosts/* entryMatches */.Yn)(entry, host, port))
        .flatMap((entry) => algorithmsFor(entry.keyType)));
    if (known.size === 0)
        return undefined;
    const first = DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => known.has(a));
    const extra = [...known].filter((a) => !first.includes(a));
    return [...first, ...extra, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !known.has(a))];
}

// EXTERNAL MODULE: ../../packages/shared/src/secrets.ts
var src_secrets = __webpack_require__(18244);
// EXTERNAL MODULE: ../../packages/shared/src/shell-quote.ts
var shell_quote = __webpack_require__(34006);
// EXTERNAL MODULE: ../../packages/shared/src/remote/host-script.ts
var host_script = __webpack_require__(42386);
;// CONCATENATED MODULE: ../../packages/shared/src/ssh/forward.ts

/**
 * A TCP connection made BY THE HOST to `address:port` (a container on the host's own bridge network, which the
 * runner cannot reach), as a stream on the runner: SSH's own forwarding (a direct-tcpip channel), or, when the
 * host's sshd refuses it (`AllowTcpForwarding no`, as hardened hosts set), a relay through an exec channel
 * running `nc` there (remote/sh/tunnel.sh). Used as the connection of an HTTP client (the pre-switch gate).
 */
function forwardTo(client, address, port) {
    return new Promise((resolve, reject) => {
        client.forwardOut('127.0.0.1', 0, address, port, (error, channel) => {
            if (!error)
                return resolve(channel);
            relay(client, address, port).then(resolve, reject);
        });
    });
}
function relay(client, address, port) {
    const script = (0,host_script/* hostScript */.Q1)({ TUNNEL_ADDRESS: address, TUNNEL_PORT: port }, 'tunnel');
    return new Promise((resolve, reject) => {
        client.exec(script, (error, channel) => {
            if (error)
                return reject(error);
            const stderr = [];
            channel.stderr.on('data', (chunk) => stderr.push(chunk));
            // nc's own failure (nothing listening, no nc) ends the stream: say why instead of "other side closed".
            channel.on('exit', (code) => {
                const why = Buffer.concat(stderr).toString('utf8').trim();
                if (!code)
                    return;
                channel.emit('error', new Error(`relay to ${address}:${port} failed (exit ${code}${why ? `: ${why}` : ''})`));
                channel.destroy();
            });
            resolve(channel);
        });
    });
}

;// CONCATENATED MODULE: ../../packages/shared/src/ssh/remote-script.ts

/**
 * Wraps a script for a remote host (wrap.sh, group.sh): it runs under `set -eu` in a process group of its own,
 * whose watchdog stops the whole group when the time is up, even when the connection is gone; the script's
 * private folder (SLIPWAY_TMP) is removed however it ends.
 */
function wrapRemoteScript(script, timeoutMs) {
    return (0,host_script/* hostScript */.Q1)({
        SLIPWAY_SECONDS: Math.max(1, Math.ceil(timeoutMs / 1000)),
        SLIPWAY_SCRIPT: script,
        SLIPWAY_GROUP: (0,host_script/* shellFile */.jI)('group'),
    }, 'wrap');
}

;// CONCATENATED MODULE: ../../packages/shared/src/ssh/ssh-session.ts





/** A remote command that failed (or timed out) on one host. */
class RemoteCommandError extends errors/* CommandError */.Qd {
    host;
    timedOut;
    name = 'RemoteCommandError';
    constructor(host, label, exitCode, stderr, timedOut) {
        super(timedOut ? `${label} on ${host} (timed out; its processes were stopped)` : `${label} on ${host}`, exitCode, stderr);
        this.host = host;
        this.timedOut = timedOut;
    }
}
/** The connection dropped while something was still running: always a failure, never a success. */
class SshConnectionLostError extends Error {
    name = 'SshConnectionLostError';
}
const MAX_OUTPUT = 4 * 1024 * 1024;
const DEFAULT_TIMEOUT = 10 * 60_000;
function createSshSession(name, client, onClose) {
    let lost;
    const pending = new Set();
    const drop = (why) => {
        lost ??= new SshConnectionLostError(`The SSH connection to ${name} was lost (${why}).`);
        for (const reject of pending)
            reject(lost);
        pending.clear();
    };
    client.on('close', () => drop('closed'));
    client.on('error', (error) => drop(error.message));
    let sftp;
    const exec = (script, options = {}) => new Promise((resolve, reject) => {
        if (lost)
            return reject(lost);
        const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT;
        const label = options.label ?? (script.trim().split('\n')[0] || 'command').slice(0, 80);
        let timedOut = false;
        const fail = (error) => {
            clearTimeout(timer);
            clearTimeout(hardStop);
            reject(error);
        };
        pending.add(fail);
        let hardStop;
        const timer = setTimeout(() => {
            timedOut = true;
            // The host's watchdog stops the processes; if the exit status never comes, give up on the channel.
            hardStop = setTimeout(() => {
                pending.delete(fail);
                reject(new RemoteCommandError(name, label, 124, '', true));
            }, 10_000);
        }, timeoutMs);
        client.exec(wrapRemoteScript(script, timeoutMs), (error, channel) => {
            if (error)
                return fail(error);
            const out = [];
            const err = [];
            let size = 0;
            const collect = (into) => (chunk) => {
                size += chunk.length;
                if (size <= MAX_OUTPUT)
                    into.push(chunk);
            };
            let code = null;
            // A channel error is followed by its close, which settles the command; never leave it unhandled.
            channel.on('error', () => undefined);
            channel.on('data', collect(out));
            channel.stderr.on('data', collect(err));
            channel.on('exit', (exitCode) => {
                code = exitCode;
            });
            channel.on('close', () => {
                pending.delete(fail);
                clearTimeout(timer);
                clearTimeout(hardStop);
                if (code === null) {
                    return reject(lost ??
                        new SshConnectionLostError(`${label} on ${name}: the channel closed without an exit status.`));
                }
                const result = {
                    code,
                    stdout: Buffer.concat(out).toString('utf8'),
                    stderr: Buffer.concat(err).toString('utf8'),
                    timedOut: timedOut && code !== 0,
                };
                if (result.code !== 0 && !options.allowFailure) {
                    return reject(new RemoteCommandError(name, label, result.code, (0,src_secrets/* maskSecrets */.QU)(result.stderr), result.timedOut));
                }
                resolve(result);
            });
            channel.end(options.stdin ?? '');
        });
    });
    // undefined: not tried yet; null: the host has no SFTP subsystem (Alpine without openssh-sftp-server, hardened
    // hosts), so files go through an exec channel instead.
    const getSftp = () => {
        sftp ??= new Promise((resolve) => client.sftp((e, s) => resolve(e ? null : s)));
        return sftp;
    };
    const uploadOverSftp = async (s, remotePath, temp, data, mode) => {
        const call = (fn) => new Promise((resolve, reject) => fn((e) => (e ? reject(e) : resolve())));
        const handle = await new Promise((resolve, reject) => s.open(temp, 'w', { mode }, (e, h) => (e ? reject(e) : resolve(h))));
        try {
            await call((cb) => s.fchmod(handle, mode, cb));
            if (data.length > 0)
                await call((cb) => s.write(handle, data, 0, data.length, 0, cb));
        }
        finally {
            await call((cb) => s.close(handle, cb));
        }
        await call((cb) => s.ext_openssh_rename(temp, remotePath, cb)).catch(async (error) => {
            await call((cb) => s.unlink(temp, cb)).catch(() => undefined);
            throw new Error(`Could not write ${remotePath} on ${name}: ${error.message}`);
        });
    };
    // The same steps with cat, chmod and mv: the content on standard input, the file created under umask 077 (so a
    // secret is never readable by others, even for a moment), `--` before every path.
    const uploadOverExec = async (remotePath, temp, data, mode) => {
        const script = [
            'umask 077',
            `tmp=${(0,shell_quote/* shellQuote */.Z)(temp)}`,
            `if cat > "$tmp" && chmod ${mode.toString(8)} -- "$tmp" && mv -f -- "$tmp" ${(0,shell_quote/* shellQuote */.Z)(remotePath)}; then exit 0; fi`,
            'rm -f -- "$tmp"',
            'exit 1',
        ].join('\n');
        await exec(script, { stdin: data, label: `writing ${remotePath}` });
    };
    const upload = async (remotePath, content, mode) => {
        if (lost)
            throw lost;
        const s = await getSftp();
        const temp = `${remotePath}.slipway-${process.pid}-${Date.now()}`;
        const data = Buffer.from(content);
        if (s)
            await uploadOverSftp(s, remotePath, temp, data, mode);
        else
            await uploadOverExec(remotePath, temp, data, mode);
    };
    return {
        name,
        exec,
        upload,
        forward: (address, port) => (lost ? Promise.reject(lost) : forwardTo(client, address, port)),
        close() {
            onClose();
        },
    };
}

// EXTERNAL MODULE: ../../packages/shared/src/ssh/ssh-target.ts
var ssh_target = __webpack_require__(43742);
;// CONCATENATED MODULE: ../../packages/shared/src/ssh/ssh-connect.ts






/** True for connection failures worth another try: network errors and handshake timeouts. */
function isTransientSshError(error) {
    if (error instanceof errors/* UserError */.yo)
        return false;
    const err = error;
    if (err?.level === 'client-authentication')
        return false;
    if (err?.level === 'client-timeout')
        return true;
    if (/Connection lost before handshake|Timed out while waiting for handshake|Not connected/.test(err?.message ?? '')) {
        return true;
    }
    return (0,retry/* isTransient */.dg)(error);
}
/** What a failed handshake becomes: a refused key or login (never retried), else a network error naming the host. */
function connectError(name, hop, verdict, error) {
    if (verdict && !verdict.ok)
        return hostKeyError(name, hop.target.host, hop.target.port, verdict);
    const level = error.level;
    if (level === 'client-authentication') {
        return new errors/* UserError */.yo(`SSH login to ${name} was refused: the key was not accepted for user "${hop.target.user}". Check that the public key of ssh-key is in that user's ~/.ssh/authorized_keys.`);
    }
    const wrapped = new Error(`Could not connect to ${name}: ${error.message}`, { cause: error });
    Object.assign(wrapped, { level, code: error.code });
    return wrapped;
}
function connectHop(hop, options, sock) {
    const name = (0,ssh_target/* formatSshTarget */.z)(hop.target);
    return new Promise((resolve, reject) => {
        const client = new lib.Client();
        let verdict;
        let settled = false;
        const fail = (error) => {
            if (settled)
                return;
            settled = true;
            reject(connectError(name, hop, verdict, error));
            client.end();
        };
        // ssh2 may emit several errors for one failure (a handshake timeout, then "Connection lost" when the socket
        // closes; a reset socket, then the close): the listener stays for the client's whole life, so no error event
        // ever goes unhandled and kills the process. The session adds its own once connected.
        client.on('error', fail);
        // A close with no error before the handshake ends must not leave the promise waiting forever.
        client.on('close', () => fail(new Error('the connection was closed before the SSH handshake ended')));
        sock?.on('error', (error) => fail(error));
        const serverHostKey = hostKeyAlgorithms(hop.hostKeys, hop.target.host, hop.target.port);
        const config = {
            host: hop.target.host,
            port: hop.target.port,
            username: hop.target.user,
            privateKey: options.privateKey,
            passphrase: options.passphrase,
            readyTimeout: options.readyTimeoutMs ?? 20_000,
            keepaliveInterval: options.keepaliveIntervalMs ?? 10_000,
            keepaliveCountMax: options.keepaliveCountMax ?? 3,
            sock,
            ...(serverHostKey ? { algorithms: { serverHostKey: serverHostKey } } : {}),
            // Called during the key exchange, before authentication: a refused key means nothing is ever run.
            hostVerifier: (key) => {
                verdict = verifyHostKey(hop.hostKeys, hop.target.host, hop.target.port, key);
                return verdict.ok;
            },
        };
        client.once('ready', () => {
            settled = true;
            resolve(client);
        });
        try {
            client.connect(config);
        }
        catch (error) {
            settled = true;
            client.end();
            reject(new errors/* UserError */.yo(`The SSH private key could not be used (${error.message}). Give the whole key file (OpenSSH or PEM) and, if it is encrypted, its passphrase.`));
        }
    });
}
function forward(jump, target) {
    return new Promise((resolve, reject) => jump.forwardOut('127.0.0.1', 0, target.host, target.port, (error, stream) => {
        if (error) {
            const wrapped = new Error(`The jump host could not reach ${(0,ssh_target/* formatSshTarget */.z)(target)}: ${error.message}`);
            Object.assign(wrapped, { code: 'ECONNREFUSED' });
            reject(wrapped);
        }
        else
            resolve(stream);
    }));
}
/**
 * Opens a verified SSH connection (through a jump host when given), retrying network failures with back-off.
 * The host key is checked in the key exchange, so a refused host never sees a command.
 */
async function connectSsh(options) {
    const name = (0,ssh_target/* formatSshTarget */.z)(options.target);
    return (0,retry/* retry */.L5)(async () => {
        const jump = options.jump ? await connectHop(options.jump, options) : undefined;
        try {
            const sock = jump ? await forward(jump, options.target) : undefined;
            const client = await connectHop(options, options, sock);
            return createSshSession(name, client, () => {
                client.end();
                jump?.end();
            });
        }
        catch (error) {
            jump?.end();
            throw error;
        }
    }, {
        attempts: 4,
        baseDelayMs: 1000,
        maxDelayMs: 8000,
        retryable: isTransientSshError,
        onRetry: (error, attempt, delay) => options.log?.(`SSH to ${name} failed (${error.message}); try ${attempt + 1} in ${delay}ms.`),
        ...options.retry,
    });
}

// EXTERNAL MODULE: ../../packages/shared/src/workspace-files.ts
var workspace_files = __webpack_require__(69254);
;// CONCATENATED MODULE: ../../packages/shared/src/state.ts

function createStateStore() {
    return {
        save(key, value) {
            lib_core.saveState(key, JSON.stringify(value));
        },
        get(key) {
            const raw = lib_core.getState(key);
            if (!raw)
                return undefined;
            try {
                return JSON.parse(raw);
            }
            catch {
                return undefined;
            }
        },
    };
}

;// CONCATENATED MODULE: ../../packages/shared/src/deployments/deployment-records.ts


const BAD_MARKER = 'slipway: marked bad';
/** GitHub's largest page. */
const PAGE_SIZE = 100;
/** How many pages history() reads at most: a bound on API calls (and time) for repositories deployed for years. */
const MAX_PAGES = 10;
/**
 * Statuses read with each deployment. A mark is a `failure` status whose description starts with BAD_MARKER,
 * added whenever a rollback judges the deployment bad, so any number of statuses (`inactive`, re-marks,
 * statuses other tools post) may come after it; and GitHub documents no order for this connection, so neither
 * newest-first nor any window is sure to hold it. 100 is GitHub's largest page and costs no more rate-limit
 * points than 20 (the cost counts the connections asked for, not their size): it holds every status of
 * nearly every deployment, and `totalCount` tells when one has more, whose statuses are then all read over
 * REST (one call a hundred).
 */
const STATUS_WINDOW = 100;
const HISTORY_QUERY = `
  query slipwayDeployments(
    $owner: String!
    $name: String!
    $environments: [String!]
    $first: Int!
    $after: String
  ) {
    repository(owner: $owner, name: $name) {
      deployments(
        environments: $environments
        first: $first
        after: $after
        orderBy: { field: CREATED_AT, direction: DESC }
      ) {
        pageInfo { hasNextPage endCursor }
        nodes {
          databaseId
          environment
          commitOid
          createdAt
          payload
          statuses(first: ${STATUS_WINDOW}) { totalCount nodes { state description createdAt } }
        }
      }
    }
  }`;
/** `warning`: where history() says it stopped at its bound (the job's log, by default). */
function createDeploymentRecords(client, repository, options = {}) {
    const [owner, repo] = repository.split('/');
    const warning = options.warning ?? ((message) => lib_core.warning(message));
    let warnedOfBound = false;
    const call = (fn) => (0,retry/* retry */.L5)(fn, { attempts: 3, baseDelayMs: 500 });
    /** Every status of a deployment whose statuses did not fit the query's window. */
    const allStatuses = async (id) => {
        const statuses = await call(() => client.paginate(client.rest.repos.listDeploymentStatuses, {
            owner,
            repo,
            deployment_id: id,
            per_page: PAGE_SIZE,
        }));
        return statuses.map((s) => ({ state: s.state, description: s.description, createdAt: s.created_at }));
    };
    return {
        async start(input) {
            const created = await call(() => client.rest.repos.createDeployment({
                owner,
                repo,
                ref: input.sha,
                environment: input.environment,
                description: input.description.slice(0, 140),
                payload: JSON.stringify({ ...input.payload, sha: input.sha }),
                auto_merge: false,
                required_contexts: [],
                production_environment: input.production,
            }));
            const id = created.data.id;
            await call(() => client.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: 'in_progress' }));
            return id;
        },
        async finish(id, state, details = {}) {
            await call(() => client.rest.repos.createDeploymentStatus({
                owner,
                repo,
                deployment_id: id,
                state,
                environment_url: details.environmentUrl,
                description: details.description?.slice(0, 140),
            }));
        },
        async history(environment) {
            const nodes = [];
            let after = null;
            let more = false;
            for (let page = 0; page < MAX_PAGES; page++) {
                const variables = {
                    owner,
                    name: repo,
                    environments: environment ? [environment] : null,
                    first: PAGE_SIZE,
                    after,
                };
                const data = await call(() => client.graphql(HISTORY_QUERY, variables));
                const connection = data.repository?.deployments;
                nodes.push(...(connection?.nodes ?? []));
                more = Boolean(connection?.pageInfo.hasNextPage && connection.pageInfo.endCursor);
                if (!more)
                    break;
                after = connection.pageInfo.endCursor;
            }
            if (more && !warnedOfBound) {
                warnedOfBound = true;
                warning(`Read the newest ${nodes.length} GitHub Deployments${environment ? ` of ${environment}` : ''}, the most ` +
                    'this reads; older ones are not checked: a digest marked bad, or a good release, before them is ' +
                    'not known to this run.');
            }
            for (const node of nodes) {
                if (node.statuses.totalCount > node.statuses.nodes.length) {
                    node.statuses = { ...node.statuses, nodes: await allStatuses(node.databaseId) };
                }
            }
            return nodes.map((node) => {
                // Oldest first, whatever order the connection uses.
                const statuses = [...node.statuses.nodes]
                    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
                    .map((s) => ({ state: s.state.toLowerCase(), description: s.description ?? '' }));
                const bad = statuses.find((s) => s.description.startsWith(BAD_MARKER));
                return {
                    id: node.databaseId,
                    environment: node.environment,
                    sha: node.commitOid,
                    createdAt: node.createdAt,
                    payload: parsePayload(node.payload),
                    statuses,
                    badReason: bad ? bad.description.slice(BAD_MARKER.length).replace(/^[\s:—-]+/, '') : undefined,
                };
            });
        },
        async markBad(id, reason) {
            await call(() => client.rest.repos.createDeploymentStatus({
                owner,
                repo,
                deployment_id: id,
                state: 'failure',
                auto_inactive: false,
                description: `${BAD_MARKER}: ${reason}`.slice(0, 140),
            }));
        },
    };
}
function parsePayload(text) {
    if (!text)
        return undefined;
    try {
        const value = JSON.parse(text);
        return value && value.slipway === 1 ? value : undefined;
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ../../node_modules/@actions/github/lib/github.js
var github = __webpack_require__(58064);
;// CONCATENATED MODULE: ../../packages/shared/src/deployments/github-client.ts

/**
 * An authenticated client for the GitHub API the job runs against: REST at GITHUB_API_URL and GraphQL beside it
 * (github.com, GitHub Enterprise, or a local stand-in), as @actions/github resolves them.
 */
function createGitHubClient(token, baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com') {
    return (0,github.getOctokit)(token, { baseUrl });
}

;// CONCATENATED MODULE: ../../packages/shared/src/summary.ts


/** Escapes text for a cell of a Markdown table. */
function escapeCell(text) {
    return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
/** A Markdown table. */
function markdownTable(headers, rows) {
    const line = (cells) => `| ${cells.map(escapeCell).join(' | ')} |`;
    return [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}
/** A collapsible section. */
function details(title, body) {
    return `<details><summary>${escapeHtml(title)}</summary>\n\n${body}\n\n</details>`;
}
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** Appends Markdown to the job summary, masked. Does nothing where the runner gives no summary file. */
async function appendSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await lib_core.summary.addRaw((0,src_secrets/* maskSecrets */.QU)(markdown), true).write();
}
/** Runs `fn` inside a collapsible log group named consistently across the suite: `<action>: <what>`. */
function logGroup(name, fn) {
    return core.group(name, fn);
}

;// CONCATENATED MODULE: ./src/canary-report.ts

/**
 * The strategy's outputs: `strategy`; with canary, `steps-completed` (steps every canaried service on every
 * host got through: the fewest), `traffic-share` (each step: declared, effective and observed share, the answers
 * seen, the verdict) and `abort-reason` (the step that failed, and why; empty when none did).
 */
async function reportStrategy(strategy, steps, io) {
    io.setOutput('strategy', strategy);
    if (strategy !== 'canary')
        return;
    const passed = new Map();
    for (const step of steps) {
        const key = `${step.host}\n${step.service}`;
        const done = step.verdict === 'failed' ? 0 : 1;
        passed.set(key, (passed.get(key) ?? 0) + done);
    }
    const failed = steps.find((s) => s.verdict !== 'passed' && !passedOn(steps, s));
    io.setOutput('steps-completed', String(passed.size ? Math.min(...passed.values()) : 0));
    io.setOutput('traffic-share', JSON.stringify(steps.map((s) => ({
        host: s.host,
        service: s.service,
        step: s.step,
        declared: s.declared,
        effective: s.effective,
        observed: s.observed?.observedShare ?? null,
        newContainers: s.newContainers,
        oldContainers: s.oldContainers,
        weights: s.weights ? { old: s.weights.old, new: s.weights.new } : null,
        answers: s.observed
            ? { new: s.observed.newAnswers, old: s.observed.oldAnswers, unattributed: s.observed.unattributed }
            : null,
        verdict: s.verdict,
    }))));
    if (steps.length > 0)
        await appendSummary(`#### canary steps\n\n${summaryTable(steps)}\n`);
    io.setOutput('abort-reason', failed
        ? `${failed.host}: ${failed.service}: step ${failed.step}: ${failed.verdict}: ${failed.reason}`
        : '');
}
/** Each step as the job summary shows it: the share asked for, given and seen, and the verdict. */
function summaryTable(steps) {
    const rows = steps.map((s) => [
        s.host,
        s.service,
        String(s.step),
        `${s.declared}%`,
        s.weights
            ? `${s.effective}% (${s.weights.proxy} weights ${s.weights.new} new : ${s.weights.old} old)`
            : `${s.effective}% (${s.newContainers} new, ${s.oldContainers} old)`,
        s.observed?.observedShare === undefined ? '' : `${s.observed.observedShare}%`,
        `${s.verdict}: ${s.reason}`,
    ]);
    return markdownTable(['host', 'service', 'step', 'declared', 'effective', 'observed', 'verdict'], rows);
}
/** An inconclusive step the canary went on from (fail-on-inconclusive: false) did not abort it. */
function passedOn(steps, step) {
    return steps.some((s) => s.host === step.host && s.service === step.service && s.step > step.step);
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ../../packages/shared/src/compose-fleet/fleet-inputs.ts + 1 modules
var fleet_inputs = __webpack_require__(90743);
// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(78474);
// EXTERNAL MODULE: ../../packages/shared/src/duration.ts
var duration = __webpack_require__(70833);
// EXTERNAL MODULE: ../../packages/shared/src/gate/expectations.ts
var expectations = __webpack_require__(24482);
// EXTERNAL MODULE: ../../packages/shared/src/gate/json-path.ts
var json_path = __webpack_require__(50815);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/assess.ts



const EXCERPT_CHARS = 500;
function assessResponse(check, response, latencyMs, readyStatus, secrets = []) {
    // Masked, then cut: a secret a server echoes back never shows, not even in part across the cut.
    const clip = (text, max = 120) => (0,src_secrets/* maskedExcerpt */.hQ)(text, max, { secrets });
    const reasons = [];
    const statusOk = (0,expectations/* statusMatches */.W_)(check.expectStatus, response.status);
    if (!statusOk)
        reasons.push(`status ${response.status} (expected ${(0,expectations/* formatStatusRanges */.cO)(check.expectStatus)})`);
    for (const expectation of check.expectHeaders) {
        const value = response.headers[expectation.name];
        if (value === undefined)
            reasons.push(`no header ${expectation.name} (expected ${(0,expectations/* formatHeaderExpectation */.bK)(expectation)})`);
        else if (expectation.matcher && !(0,expectations/* textMatches */.tV)(expectation.matcher, value)) {
            reasons.push(`header ${expectation.name} is ${JSON.stringify(clip(value))} (expected ${(0,expectations/* formatHeaderExpectation */.bK)(expectation)})`);
        }
    }
    if (check.expectBody && !(0,expectations/* textMatches */.tV)(check.expectBody, response.body)) {
        reasons.push(`body does not ${check.expectBody.kind === 'regex' ? 'match' : 'contain'} ${(0,expectations/* formatTextMatcher */.JA)(check.expectBody)}`);
    }
    const json = check.expectJson.length || check.versionSource.kind === 'json' ? parseJson(response.body) : undefined;
    for (const expectation of check.expectJson) {
        if (!json) {
            reasons.push(`body is not JSON (expected ${(0,expectations/* formatJsonExpectation */.iN)(expectation)})`);
            break;
        }
        const found = (0,json_path/* lookupJson */.PR)(json.value, expectation.path);
        if (!found.found)
            reasons.push(`no JSON field ${(0,json_path/* formatPath */.jV)(expectation.path)} (expected ${(0,expectations/* formatJsonExpectation */.iN)(expectation)})`);
        else if (!(0,expectations/* jsonValueMatches */.dg)(expectation, found.value)) {
            reasons.push(`JSON ${(0,json_path/* formatPath */.jV)(expectation.path)} is ${clip(JSON.stringify(found.value) ?? 'undefined')} (expected ${(0,expectations/* formatJsonExpectation */.iN)(expectation)})`);
        }
    }
    const versionReason = check.expectVersion ? versionMismatch(clip, check, response, json) : undefined;
    if (versionReason)
        reasons.push(versionReason);
    const slow = check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs;
    if (slow)
        reasons.push(`took ${Math.round(latencyMs)}ms (max-latency ${check.maxLatencyMs}ms)`);
    // "Not up yet" rather than "broken": an old version still answering, a status that a starting or
    // draining service gives, or only slowness (a cold start). A wrong body from the right version is broken.
    const notReady = reasons.length > 0 &&
        (versionReason !== undefined ||
            (!statusOk && (0,expectations/* statusMatches */.W_)(readyStatus, response.status)) ||
            (slow && reasons.length === 1));
    return {
        outcome: reasons.length ? 'fail' : 'pass',
        latencyMs,
        status: response.status,
        reasons,
        notReady,
        ...(check.expectVersion ? { versionMatched: versionReason === undefined } : {}),
        // Only a failure needs the full evidence; a passing sample keeps where it came from.
        evidence: reasons.length === 0
            ? { url: response.finalUrl, status: response.status }
            : {
                url: response.finalUrl,
                status: response.status,
                headers: response.headers,
                excerpt: (0,src_secrets/* maskedExcerpt */.hQ)(response.body, EXCERPT_CHARS, { secrets, truncated: response.truncated }),
            },
    };
}
/**
 * No response at all. Everything but an untrusted certificate or a redirect loop (configuration, which waiting
 * will not fix) may be a service that is not up yet.
 */
function assessError(check, error, latencyMs) {
    return {
        outcome: 'error',
        latencyMs,
        code: error.code ?? error.kind.toUpperCase(),
        reasons: [error.message],
        notReady: error.kind !== 'tls' && error.kind !== 'redirect',
        evidence: { url: check.url.href, error: error.message },
    };
}
function versionMismatch(clip, check, response, json) {
    const want = check.expectVersion;
    const where = (0,expectations/* formatVersionSource */.v2)(check.versionSource);
    const source = check.versionSource;
    if (source.kind === 'body') {
        return response.body.includes(want) ? undefined : `version ${want} not found in ${where}`;
    }
    if (source.kind === 'header') {
        const value = response.headers[source.name];
        if (value?.includes(want))
            return undefined;
        return `version ${want} not in ${where} (${value === undefined ? 'missing' : `got ${JSON.stringify(clip(value))}`})`;
    }
    const found = json ? (0,json_path/* lookupJson */.PR)(json.value, source.path) : { found: false };
    const value = found.found ? found.value : undefined;
    const text = typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
    if (text?.includes(want))
        return undefined;
    const got = !json ? 'the body is not JSON' : text === undefined ? 'missing' : `got ${clip(text)}`;
    return `version ${want} not in ${where} (${got})`;
}
function parseJson(body) {
    try {
        return { value: JSON.parse(body) };
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
// EXTERNAL MODULE: ../../packages/shared/node_modules/undici/index.js
var undici = __webpack_require__(30248);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/http-client.ts



class ProbeError extends Error {
    kind;
    code;
    name = 'ProbeError';
    constructor(kind, message, code) {
        super(message);
        this.kind = kind;
        this.code = code;
    }
}
/** Assertions look at the first MiB; the rest is not read (a health endpoint that big is a finding in itself). */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
const TLS_CODES = /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_)/;
/** Request headers that carry credentials: never sent on to another origin by a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
/**
 * Node's own HTTP stack (undici, bundled, so Node 20 and 24 behave the same). An extra CA is added to Node's
 * roots rather than replacing them; `insecure` turns verification off. Proxies come from HTTP(S)_PROXY and
 * NO_PROXY, as the runner sets them.
 */
function createHttpClient(tls, secretHeaders, dial) {
    if (dial)
        return dialled(dial, secretHeaders);
    const connect = {
        ca: tls.ca ? [...external_node_tls_.rootCertificates, tls.ca] : undefined,
        rejectUnauthorized: !tls.insecure,
    };
    // The proxy-aware agent looks the proxy up per request; without proxy variables a plain agent is faster.
    const proxied = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'].some((v) => process.env[v]);
    const dispatcher = proxied
        ? new undici/* EnvHttpProxyAgent */.J2({ connect, requestTls: connect })
        : new undici/* Agent */.g6({ connect });
    return {
        send: (probe) => send(dispatcher, probe, secretHeaders),
        close: () => dispatcher.close(),
    };
}
/**
 * Every connection made by `dial` (a stream through an SSH host: blue-green's pre-switch checks reach a new
 * container on the host's own network), whatever the URL's host; plain HTTP, so the URL's host is only the Host
 * header the app sees, as behind the proxy.
 */
function dialled(dial, secretHeaders) {
    const dispatcher = new undici/* Agent */.g6({
        connect: (_options, callback) => {
            dial().then((stream) => callback(null, stream), (error) => callback(error, null));
        },
    });
    return {
        send: (probe) => {
            const url = new URL(probe.url);
            url.protocol = 'http:';
            return send(dispatcher, { ...probe, url }, secretHeaders);
        },
        close: () => dispatcher.close(),
    };
}
async function send(dispatcher, probe, secretHeaders) {
    // One controller for the request's timeout and the gate's deadline, released when the request ends
    // (AbortSignal.timeout + AbortSignal.any per request cost a third of the throughput on Node 20).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
    }, (0,duration/* timerDelay */.nR)(probe.timeoutMs));
    const onGateAbort = () => controller.abort();
    probe.signal?.addEventListener('abort', onGateAbort, { once: true });
    if (probe.signal?.aborted)
        controller.abort();
    try {
        return await follow(dispatcher, probe, secretHeaders, controller.signal);
    }
    catch (error) {
        throw describeError(error, timedOut ? probe.timeoutMs : undefined, probe.signal);
    }
    finally {
        clearTimeout(timer);
        probe.signal?.removeEventListener('abort', onGateAbort);
    }
}
/** The request, and the redirects it leads to when they are followed. */
async function follow(dispatcher, probe, secretHeaders, signal) {
    let url = probe.url;
    let { method, body, headers } = probe;
    for (let redirects = 0;; redirects++) {
        const res = await (0,undici/* request */.Em)(url, {
            dispatcher,
            method: method,
            headers,
            body,
            signal,
        });
        const location = res.headers.location;
        if (probe.followRedirects &&
            [301, 302, 303, 307, 308].includes(res.statusCode) &&
            typeof location === 'string') {
            res.body.resume();
            if (redirects >= MAX_REDIRECTS) {
                throw new ProbeError('redirect', `more than ${MAX_REDIRECTS} redirects (the last to ${location})`);
            }
            const next = new URL(location, url);
            if (next.origin !== url.origin) {
                headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name) && !secretHeaders(name)));
            }
            // As browsers and fetch do: 303, and 301/302 after a POST, become a GET without a body.
            if (res.statusCode === 303 || (method === 'POST' && res.statusCode <= 302)) {
                method = method === 'HEAD' ? 'HEAD' : 'GET';
                body = undefined;
            }
            url = next;
            continue;
        }
        const read = await readBody(res.body, res.headers);
        return {
            status: res.statusCode,
            headers: flattenHeaders(res.headers),
            body: read.text,
            truncated: read.truncated,
            finalUrl: url.href,
            redirects,
        };
    }
}
async function readBody(body, headers) {
    // A declared length within the cap is read in one go (undici's fast path); anything else is streamed.
    const length = Number(headers['content-length']);
    if (Number.isFinite(length) && length < MAX_BODY_BYTES)
        return { text: await body.text(), truncated: false };
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        const buffer = chunk;
        chunks.push(buffer);
        size += buffer.length;
        if (size >= MAX_BODY_BYTES) {
            body.destroy();
            return { text: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'), truncated: true };
        }
    }
    return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}
function flattenHeaders(headers) {
    const flat = {};
    for (const [name, value] of Object.entries(headers)) {
        if (value !== undefined)
            flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return flat;
}
/** One readable line per failure: what happened, with the system's code when there is one. */
function describeError(error, timedOutAfter, gate) {
    if (error instanceof ProbeError)
        return error;
    if (timedOutAfter !== undefined)
        return new ProbeError('timeout', `no answer within ${timedOutAfter}ms`, 'TIMEOUT');
    if (gate?.aborted)
        return new ProbeError('aborted', 'stopped at the deadline', 'ABORTED');
    const err = error;
    const code = err.code && !err.code.startsWith('UND_ERR') ? err.code : (err.cause?.code ?? err.code);
    const message = err.cause?.message ?? err.message ?? String(error);
    if (code && TLS_CODES.test(code)) {
        return new ProbeError('tls', `TLS: ${message} (${code}); trust the server's CA with "ca", or (for tests only) set "insecure"`, code);
    }
    if (code === 'UND_ERR_CONNECT_TIMEOUT' ||
        code === 'UND_ERR_HEADERS_TIMEOUT' ||
        code === 'UND_ERR_BODY_TIMEOUT') {
        return new ProbeError('timeout', `${message} (${code})`, code);
    }
    return new ProbeError('network', code && !message.includes(code) ? `${message} (${code})` : message, code);
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/probe.ts



/** One request for one check, timed on the monotonic clock, assessed. */
async function probe(check, config, deps, signal) {
    const started = deps.now();
    try {
        const response = await deps.client.send({
            url: check.url,
            method: check.method,
            headers: check.headers,
            body: check.body,
            followRedirects: check.followRedirects,
            timeoutMs: config.timeoutMs,
            signal,
        });
        return assessResponse(check, response, deps.now() - started, config.readyStatus, config.secrets);
    }
    catch (error) {
        const failure = error instanceof ProbeError
            ? error
            : new ProbeError('network', String(error?.message ?? error));
        return assessError(check, failure, deps.now() - started);
    }
}
/** The key a sample is counted under: its status, or the error's code. */
function sampleKey(sample) {
    return sample.status !== undefined ? String(sample.status) : (sample.code ?? 'ERROR');
}
function abortableSleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal.aborted || ms <= 0)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, (0,duration/* timerDelay */.nR)(ms));
        signal.addEventListener('abort', done, { once: true });
    });
}

// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/stats.ts
/** Nearest-rank percentile over all values (no interpolation: every figure is a latency that happened). */
function percentile(sorted, p) {
    if (!sorted.length)
        return Number.NaN;
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
function summarizeLatencies(values) {
    if (!values.length)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    const round = (n) => Math.round(n * 10) / 10;
    return {
        min: round(sorted[0]),
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1]),
    };
}
/** Counts by status (`200`, `503`) or by error code for requests without a response (`ECONNREFUSED`). */
class StatusCounter {
    counts = {};
    add(key) {
        this.counts[key] = (this.counts[key] ?? 0) + 1;
    }
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/readiness.ts




/** Thrown inside `retry` so that its back-off decides whether to try again. */
class NotPassing extends Error {
    sample;
    constructor(sample) {
        super(sample.reasons.join('; '));
        this.sample = sample;
    }
}
/**
 * Phase 1: retries what means "not up yet" (no connection, 404/502/503/504, an old version) with exponential
 * back-off and full jitter until the first fully passing answer or `ready-timeout`. A wrong answer from the
 * right version ends the phase at once as broken.
 */
async function awaitReady(check, config, deps, signal) {
    const counter = new StatusCounter();
    const started = deps.now();
    let attempts = 0;
    let last;
    try {
        await (0,retry/* retry */.L5)(async () => {
            attempts++;
            // ready-timeout decides when no new try starts; a try that started gets its full `timeout`.
            const sample = await probe(check, config, deps, signal);
            // A try cut off by the deadline says nothing about the service: the answer before it is the evidence.
            if (sample.code === 'ABORTED' && last)
                throw new NotPassing(sample);
            last = sample;
            counter.add(sampleKey(sample));
            if (sample.outcome !== 'pass')
                throw new NotPassing(sample);
        }, {
            attempts: Number.POSITIVE_INFINITY,
            baseDelayMs: config.readyBackoffMs,
            maxDelayMs: config.readyBackoffMaxMs,
            deadlineMs: config.readyTimeoutMs,
            retryable: (error) => error instanceof NotPassing && error.sample.notReady && !signal.aborted,
            onRetry: (error, attempt, delayMs) => deps.log(`${check.name}: not up yet (attempt ${attempt}: ${error.message}); next try in ${(0,duration/* formatDuration */.a3)(delayMs)}`),
            sleep: (ms) => deps.sleep(ms, signal),
            random: deps.random,
            now: deps.now,
        });
        return {
            ready: true,
            broken: false,
            attempts,
            statusCounts: counter.counts,
            timeToReadyMs: deps.now() - started,
            last,
        };
    }
    catch (error) {
        if (!(error instanceof NotPassing))
            throw error;
        return { ready: false, broken: !error.sample.notReady, attempts, statusCounts: counter.counts, last };
    }
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/verification.ts


/** A flapping service with thousands of samples should not flood the log; the report has the counts. */
const LOGGED_FAILURES = 10;
/**
 * Phase 2: `concurrency` workers take samples until `samples` valid ones are in (network errors do not count
 * as samples but against `error-limit`), each worker starting a request every `interval`. It stops early when
 * a limit is exceeded, when `min-success-rate` can no longer be reached, or after `consecutive-successes`.
 */
async function verify(check, config, deps, signal) {
    const counter = new StatusCounter();
    const latencies = [];
    const state = { requests: 0, inFlight: 0, passes: 0, failures: 0, errors: 0, streak: 0 };
    let firstFailure;
    let stop;
    const valid = () => state.passes + state.failures;
    const enough = () => valid() + state.inFlight >= config.samples;
    const judgeEarly = () => {
        if (config.failureLimit !== undefined && state.failures > config.failureLimit) {
            return `${state.failures} samples failed their assertions (failure-limit ${config.failureLimit})`;
        }
        if (state.errors > config.errorLimit)
            return `${state.errors} requests got no response (error-limit ${config.errorLimit})`;
        const best = (state.passes + (config.samples - valid())) / config.samples;
        if (best < config.minSuccessRate) {
            return `${state.failures} of ${valid()} samples failed: the success rate can no longer reach ${pct(config.minSuccessRate)}`;
        }
        if (config.consecutiveSuccesses > 0 && state.streak >= config.consecutiveSuccesses)
            return 'enough';
        return undefined;
    };
    const worker = async () => {
        let nextStart = deps.now();
        while (!stop && !signal.aborted && !enough()) {
            await deps.sleep(nextStart - deps.now(), signal);
            if (stop || signal.aborted || enough())
                return;
            nextStart = deps.now() + config.intervalMs;
            state.inFlight++;
            state.requests++;
            const sample = await probe(check, config, deps, signal);
            state.inFlight--;
            if (stop || (signal.aborted && sample.outcome === 'error'))
                return;
            counter.add(sampleKey(sample));
            if (sample.outcome === 'error')
                state.errors++;
            else
                latencies.push(sample.latencyMs);
            if (sample.outcome === 'pass') {
                state.passes++;
                state.streak++;
            }
            else {
                if (sample.outcome === 'fail')
                    state.failures++;
                state.streak = 0;
                firstFailure ??= { reasons: sample.reasons, evidence: sample.evidence };
                const bad = state.failures + state.errors;
                if (bad <= LOGGED_FAILURES) {
                    const what = sample.outcome === 'fail' ? 'failed' : 'got no response';
                    deps.log(`${check.name}: sample ${state.requests} ${what}: ${sample.reasons.join('; ')}`);
                    if (bad === LOGGED_FAILURES)
                        deps.log(`${check.name}: further failing samples are counted, not logged`);
                }
            }
            const early = judgeEarly();
            if (early === 'enough')
                stop = { verdict: 'passed', reason: `${state.streak} consecutive successes` };
            else if (early)
                stop = { verdict: 'failed', reason: early };
        }
    };
    await Promise.all(Array.from({ length: Math.min(config.concurrency, config.samples) }, worker));
    const successRate = valid() ? state.passes / valid() : undefined;
    const sorted = [...latencies].sort((a, b) => a - b);
    let verdict = stop?.verdict === 'failed' ? stop : judge(config, state.passes, valid(), sorted, stop?.reason);
    if (!stop && verdict.verdict === 'passed' && valid() < config.samples) {
        verdict = {
            verdict: 'inconclusive',
            reason: `only ${valid()} of ${config.samples} samples before the deadline`,
        };
    }
    return {
        ...verdict,
        ...state,
        valid: valid(),
        successRate,
        statusCounts: counter.counts,
        latency: summarizeLatencies(latencies),
        latencies,
        firstFailure,
    };
}
/** The thresholds over the samples taken. */
function judge(config, passes, valid, sorted, why) {
    if (!valid)
        return { verdict: 'inconclusive', reason: 'no sample got a response before the deadline' };
    const missed = [];
    const rate = passes / valid;
    if (rate < config.minSuccessRate)
        missed.push(`success rate ${pct(rate)} below ${pct(config.minSuccessRate)}`);
    const p95 = percentile(sorted, 95);
    const p99 = percentile(sorted, 99);
    if (config.maxP95Ms !== undefined && p95 > config.maxP95Ms)
        missed.push(`p95 ${Math.round(p95)}ms above max-p95 ${config.maxP95Ms}ms`);
    if (config.maxP99Ms !== undefined && p99 > config.maxP99Ms)
        missed.push(`p99 ${Math.round(p99)}ms above max-p99 ${config.maxP99Ms}ms`);
    if (missed.length)
        return { verdict: 'failed', reason: missed.join('; ') };
    return { verdict: 'passed', reason: `${passes} of ${valid} samples passed${why ? ` (${why})` : ''}` };
}
function pct(rate) {
    return `${Math.round(rate * 1000) / 10}%`;
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/run-gate.ts










/** The real world: undici for HTTP, performance.now for time. The caller closes `client` when done. */
function defaultGateDeps(config, log = () => { }) {
    return {
        client: createHttpClient(config.tls, src_secrets/* isSecretHeader */.io),
        now: () => external_node_perf_hooks_.performance.now(),
        sleep: abortableSleep,
        random: Math.random,
        log,
    };
}
/**
 * Runs every check (in parallel): readiness, then verification, all within `deadline`. Never throws for what
 * the service answered; the result says what happened, with secrets masked.
 */
async function runGate(config, gateDeps) {
    const deps = { ...gateDeps, log: (line) => gateDeps.log(maskText(line, config.secrets)) };
    const started = deps.now();
    const controller = new AbortController();
    // Every request in flight and every waiting worker listens for the deadline: expected, not a leak.
    (0,external_node_events_.setMaxListeners)(2 * config.checks.length * config.concurrency + 10, controller.signal);
    const timer = setTimeout(() => controller.abort(), (0,duration/* timerDelay */.nR)(config.deadlineMs));
    try {
        const checks = await Promise.all(config.checks.map((check) => runCheck(check, config, deps, controller.signal)));
        const latencies = checks.flatMap((c) => c.latencies).sort((a, b) => a - b);
        const passes = checks.reduce((n, c) => n + (c.result.verification?.passes ?? 0), 0);
        const valid = checks.reduce((n, c) => n + (c.result.verification?.valid ?? 0), 0);
        const results = checks.map((c) => c.result);
        const result = {
            result: results.some((c) => c.result === 'failed')
                ? 'failed'
                : results.some((c) => c.result === 'inconclusive')
                    ? 'inconclusive'
                    : 'passed',
            checks: results,
            successRate: valid ? passes / valid : undefined,
            p95Ms: latencies.length ? Math.round(percentile(latencies, 95) * 10) / 10 : undefined,
            durationMs: Math.round(deps.now() - started),
        };
        return maskResult(result, config.secrets);
    }
    finally {
        clearTimeout(timer);
    }
}
async function runCheck(check, config, deps, signal) {
    const base = {
        name: check.name,
        url: check.url.href,
        method: check.method,
        expected: describeExpected(check),
    };
    const ready = await awaitReady(check, config, deps, signal);
    const { last, ...readiness } = ready;
    if (!ready.ready) {
        const why = last?.reasons.join('; ') ?? 'no answer';
        const reason = ready.broken
            ? `broken: ${why}`
            : signal.aborted
                ? `not ready before the deadline (${(0,duration/* formatDuration */.a3)(config.deadlineMs)}): ${why}`
                : `not ready within ready-timeout ${(0,duration/* formatDuration */.a3)(config.readyTimeoutMs)} (${ready.attempts} attempts): ${why}`;
        deps.log(`${check.name}: ${reason}`);
        const firstFailure = last && {
            phase: 'readiness',
            reasons: last.reasons,
            evidence: last.evidence,
        };
        return { result: { ...base, result: 'failed', reason, readiness, firstFailure }, latencies: [] };
    }
    deps.log(`${check.name}: ready after ${ready.attempts} attempt(s) in ${(0,duration/* formatDuration */.a3)(ready.timeToReadyMs ?? 0)}; verifying with ${config.samples} samples`);
    const { latencies, firstFailure, verdict, reason, ...verification } = await verify(check, config, deps, signal);
    deps.log(`${check.name}: ${verdict}: ${reason}`);
    return {
        result: {
            ...base,
            result: verdict,
            reason,
            readiness,
            verification,
            firstFailure: firstFailure && { phase: 'verification', ...firstFailure },
        },
        latencies,
    };
}
function describeExpected(check) {
    const parts = [`status ${(0,expectations/* formatStatusRanges */.cO)(check.expectStatus)}`];
    for (const h of check.expectHeaders)
        parts.push((0,expectations/* formatHeaderExpectation */.bK)(h));
    if (check.expectBody) {
        parts.push(`body ${check.expectBody.kind === 'regex' ? 'matching' : 'containing'} ${(0,expectations/* formatTextMatcher */.JA)(check.expectBody)}`);
    }
    for (const j of check.expectJson)
        parts.push(`JSON ${(0,expectations/* formatJsonExpectation */.iN)(j)}`);
    if (check.expectVersion)
        parts.push(`version ${check.expectVersion} in ${(0,expectations/* formatVersionSource */.v2)(check.versionSource)}`);
    if (check.maxLatencyMs !== undefined)
        parts.push(`latency at most ${check.maxLatencyMs}ms`);
    return parts.join(', ');
}
/** Secrets out of everything the result holds (a server may echo a header back); cookies never shown. */
function maskResult(result, secrets) {
    const text = JSON.stringify(result, (key, value) => (key === 'set-cookie' ? '(not shown)' : value));
    return JSON.parse(maskText(text, secrets));
}
/** Each secret as it is and as it appears inside a JSON string, longest first. */
function maskText(text, secrets) {
    let out = text;
    for (const secret of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
        for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)]))
            out = out.split(form).join('***');
    }
    return out;
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/canary-judge.ts






/** Several hooks as one: run together; the first to fail stops the others; failed wins, then inconclusive. */
function joinCanaryAnalyses(...hooks) {
    if (hooks.length === 1)
        return hooks[0];
    return async (step, signal) => {
        const controller = new AbortController();
        const stop = () => controller.abort();
        signal.addEventListener('abort', stop, { once: true });
        try {
            const judgements = await Promise.all(hooks.map(async (hook) => {
                const judgement = await hook(step, controller.signal);
                if (judgement.verdict === 'failed')
                    controller.abort();
                return judgement;
            }));
            const verdict = judgements.some((j) => j.verdict === 'failed')
                ? 'failed'
                : judgements.some((j) => j.verdict === 'inconclusive')
                    ? 'inconclusive'
                    : 'passed';
            const told = judgements.filter((j) => verdict === 'passed' || j.verdict === verdict);
            return {
                verdict,
                reason: told.map((j) => j.reason).join('; '),
                observed: judgements.find((j) => j.observed)?.observed,
            };
        }
        finally {
            signal.removeEventListener('abort', stop);
        }
    };
}
/** Failing answers logged per step; the rest are counted. */
const LOGGED = 5;
/**
 * The entry point's judge of a canary step: requests through `public-url` (each check in turn) for the whole
 * step, each answer attributed by its version (`expect-version` in `version-field`): answers of the new version
 * are judged by the gate's assertions, `min-success-rate`, `max-p95` and `max-p99`; answers of the old version
 * only count towards the observed share; an answer that cannot be attributed (an error status without the new
 * version, no answer at all) counts against the canary. The step fails at the first failure past the error
 * budget that min-success-rate leaves over the answers the canary is expected to give (none at 100%), without
 * waiting for the rest of the interval.
 */
function entryCanaryJudge(config, options) {
    const intervalMs = options.intervalMs ?? 100;
    const workers = options.workers ?? 2;
    const minAnswers = options.minAnswers ?? 5;
    return async (step, signal) => {
        const deps = options.deps?.() ?? defaultGateDeps(config, options.log);
        const controller = new AbortController();
        (0,external_node_events_.setMaxListeners)(workers * 4 + 10, controller.signal);
        const stop = () => controller.abort();
        signal.addEventListener('abort', stop, { once: true });
        const planned = Math.max(1, Math.floor(step.durationMs / intervalMs)) * workers;
        const expected = Math.max(minAnswers, (planned * step.effective) / 100);
        const budget = Math.floor((1 - config.minSuccessRate) * expected + 1e-9);
        const seen = { new: 0, old: 0, unattributed: 0, passes: 0, failures: 0 };
        const latencies = [];
        let first;
        let failedWhy;
        const end = deps.now() + step.durationMs;
        const worker = async (offset) => {
            let next = deps.now() + (offset * intervalMs) / workers;
            for (let i = offset; !failedWhy && !controller.signal.aborted; i++) {
                await deps.sleep(next - deps.now(), controller.signal);
                if (failedWhy || controller.signal.aborted || deps.now() >= end)
                    return;
                next += intervalMs;
                const check = config.checks[i % config.checks.length];
                const sample = await probe(check, config, deps, controller.signal);
                if (controller.signal.aborted && sample.outcome === 'error')
                    return;
                if (sample.versionMatched) {
                    seen.new++;
                    latencies.push(sample.latencyMs);
                    if (sample.outcome === 'pass') {
                        seen.passes++;
                        continue;
                    }
                }
                else if (sample.outcome === 'fail' && sample.reasons.length === 1) {
                    // Only the version differs: the old version answered, and answered well.
                    seen.old++;
                    continue;
                }
                else
                    seen.unattributed++;
                seen.failures++;
                const why = `${check.name}: ${sample.status !== undefined ? `HTTP ${sample.status}` : (sample.code ?? 'no answer')}${sample.versionMatched ? ' from the new version' : ' (not attributable: counted against the canary)'}: ${sample.reasons.join('; ')}`;
                first ??= why;
                if (seen.failures <= LOGGED)
                    options.log(`${step.what}: step ${step.number}: ${why}`);
                if (seen.failures > budget) {
                    failedWhy = `${seen.failures} failing answer(s) where min-success-rate ${pct(config.minSuccessRate)} allows ${budget} (first: ${first})`;
                    controller.abort();
                }
            }
        };
        try {
            await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
        }
        finally {
            signal.removeEventListener('abort', stop);
            if (!options.deps)
                await deps.client.close();
        }
        const sorted = [...latencies].sort((a, b) => a - b);
        const judged = seen.new + seen.unattributed;
        const attributed = seen.new + seen.old;
        const round1 = (n) => Math.round(n * 10) / 10;
        const observed = {
            newAnswers: seen.new,
            oldAnswers: seen.old,
            unattributed: seen.unattributed,
            ...(attributed ? { observedShare: round1((100 * seen.new) / attributed) } : {}),
            ...(judged ? { successRate: seen.passes / judged } : {}),
            ...(sorted.length
                ? { p95Ms: round1(percentile(sorted, 95)), p99Ms: round1(percentile(sorted, 99)) }
                : {}),
        };
        const share = `observed share ${observed.observedShare ?? '-'}% (${seen.new} new, ${seen.old} old, ${seen.unattributed} unattributed)`;
        if (failedWhy)
            return { verdict: 'failed', reason: `${failedWhy}; ${share}`, observed };
        if (signal.aborted)
            return { verdict: 'inconclusive', reason: `stopped early; ${share}`, observed };
        if (seen.new < minAnswers) {
            return {
                verdict: 'inconclusive',
                reason: `the new version gave ${seen.new} answer(s) in ${(0,duration/* formatDuration */.a3)(step.durationMs)}, fewer than the ${minAnswers} needed to judge it; ${share}`,
                observed,
            };
        }
        const missed = [];
        const rate = seen.passes / judged;
        if (rate < config.minSuccessRate)
            missed.push(`success rate ${pct(rate)} below ${pct(config.minSuccessRate)}`);
        if (config.maxP95Ms !== undefined && observed.p95Ms > config.maxP95Ms)
            missed.push(`p95 ${Math.round(observed.p95Ms)}ms above max-p95 ${config.maxP95Ms}ms`);
        if (config.maxP99Ms !== undefined && observed.p99Ms > config.maxP99Ms)
            missed.push(`p99 ${Math.round(observed.p99Ms)}ms above max-p99 ${config.maxP99Ms}ms`);
        if (missed.length)
            return { verdict: 'failed', reason: `${missed.join('; ')}; ${share}`, observed };
        return {
            verdict: 'passed',
            reason: `${seen.passes} of ${judged} answers passed (p95 ${observed.p95Ms}ms, p99 ${observed.p99Ms}ms); ${share}`,
            observed,
        };
    };
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/prometheus-provider.ts




/**
 * PromQL over `/api/v1/query` (an instant, now) or `/api/v1/query_range` (a window ending now). Basic auth
 * comes from the address's user information (sent as a header, never in a URL), a bearer token from settings;
 * an extra CA is added to Node's roots. Errors name the status and Prometheus's own error, masked.
 */
function createPrometheusProvider(settings, secrets, clock = Date.now) {
    const dispatcher = new undici/* Agent */.g6({
        connect: {
            ca: settings.ca ? [...external_node_tls_.rootCertificates, settings.ca] : undefined,
            rejectUnauthorized: !settings.insecure,
        },
    });
    const base = new URL(settings.address.href);
    const headers = { accept: 'application/json' };
    if (base.username || base.password) {
        const user = decodeURIComponent(base.username);
        const password = decodeURIComponent(base.password);
        headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
        base.username = '';
        base.password = '';
    }
    if (settings.token)
        headers.authorization = `Bearer ${settings.token}`;
    const root = base.href.endsWith('/') ? base.href : `${base.href}/`;
    const masked = (text) => (0,src_secrets/* maskedExcerpt */.hQ)(text, 300, { secrets });
    return {
        async measure(metric, signal) {
            const now = clock() / 1000;
            const url = new URL(metric.range ? 'api/v1/query_range' : 'api/v1/query', root);
            const form = new URLSearchParams({ query: metric.query });
            if (metric.range) {
                form.set('start', String(now - metric.range.windowMs / 1000));
                form.set('end', String(now));
                form.set('step', `${metric.range.stepMs / 1000}s`);
            }
            else {
                form.set('time', String(now));
            }
            const timeout = AbortSignal.timeout((0,duration/* timerDelay */.nR)(settings.timeoutMs));
            let status;
            let text;
            try {
                // POST with a form body, as Prometheus accepts: long queries do not hit URL length limits.
                const res = await (0,undici/* request */.Em)(url, {
                    dispatcher,
                    method: 'POST',
                    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
                    body: form.toString(),
                    signal: AbortSignal.any([signal, timeout]),
                });
                status = res.statusCode;
                text = await res.body.text();
            }
            catch (error) {
                const err = error;
                if (timeout.aborted)
                    throw new Error(`Prometheus at ${root} did not answer within ${settings.timeoutMs}ms`);
                const why = err.cause?.message ?? err.message ?? String(error);
                const code = err.cause?.code ?? err.code;
                throw new Error(masked(`Prometheus at ${root}: ${why}${code && !why.includes(code) ? ` (${code})` : ''}`));
            }
            let answer;
            try {
                answer = JSON.parse(text);
            }
            catch {
                answer = undefined;
            }
            if (status === 401 || status === 403) {
                throw new Error(`Prometheus at ${root} refused the query: HTTP ${status}; check the credentials (prometheus-token, or user:password in prometheus-url)`);
            }
            if (status !== 200 || answer?.status !== 'success') {
                const why = answer?.error ? `${answer.errorType ?? 'error'}: ${answer.error}` : text.split('\n')[0];
                throw new Error(masked(`Prometheus at ${root} answered HTTP ${status}: ${why}`));
            }
            return toSeries(answer.data?.resultType, answer.data?.result);
        },
        close: () => dispatcher.close(),
    };
}
/** vector, matrix and scalar results as series of numbers ("NaN", "+Inf" included). */
function toSeries(type, result) {
    const value = (sample) => Number(sample[1] === '+Inf' ? Infinity : sample[1] === '-Inf' ? -Infinity : sample[1]);
    if (type === 'scalar')
        return [{ labels: {}, values: [value(result)] }];
    if (!Array.isArray(result))
        throw new Error(`Prometheus answered a ${type ?? 'missing'} result, not a vector, matrix or scalar`);
    if (type === 'vector') {
        return result.map((r) => ({
            labels: r.metric ?? {},
            values: [value(r.value)],
        }));
    }
    if (type === 'matrix') {
        return result.map((r) => ({
            labels: r.metric ?? {},
            values: (r.values ?? []).map(value),
        }));
    }
    throw new Error(`Prometheus answered a ${type} result, not a vector, matrix or scalar`);
}

// EXTERNAL MODULE: ../../packages/shared/src/gate/analysis/condition.ts
var condition = __webpack_require__(53721);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/run-analysis.ts


/**
 * Measures every metric (in parallel) every `interval`, `count` times or until the bake ends, and judges them
 * as Argo Rollouts does: a metric fails when its failed measurements exceed `failure-limit` (-1: never) or its
 * provider errors in a row exceed `consecutive-error-limit`; it is inconclusive when inconclusive measurements
 * (no data, NaN, neither condition met) exceed `inconclusive-limit`. A failed metric stops the whole analysis.
 * The verdict: failed if any metric failed, else inconclusive if any was, else passed. Never throws for what a
 * provider answered.
 */
async function runAnalysis(config, deps, signal) {
    const started = deps.now();
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
        const metrics = await Promise.all(config.metrics.map(async (metric) => {
            const result = await runMetric(metric, config, deps, started, controller.signal);
            if (result.result === 'failed')
                controller.abort();
            return result;
        }));
        const failed = metrics.filter((m) => m.result === 'failed');
        const inconclusive = metrics.filter((m) => m.result === 'inconclusive');
        const result = failed.length ? 'failed' : inconclusive.length ? 'inconclusive' : 'passed';
        const reason = (failed.length ? failed : inconclusive.length ? inconclusive : metrics)
            .map((m) => `${m.name}: ${m.reason}`)
            .join('; ');
        return { result, reason, metrics, durationMs: Math.round(deps.now() - started) };
    }
    finally {
        signal?.removeEventListener('abort', onAbort);
    }
}
async function runMetric(metric, config, deps, started, signal) {
    const provider = deps.providers[metric.provider];
    const counts = { successful: 0, failed: 0, inconclusive: 0, error: 0 };
    const measurements = [];
    let errorsInRow = 0;
    const base = {
        name: metric.name,
        provider: metric.provider,
        query: metric.query,
        condition: describeCondition(metric),
        thresholds: [
            ...(metric.success ? (0,condition/* thresholds */.pw)(metric.success) : []),
            ...(metric.failure ? (0,condition/* thresholds */.pw)(metric.failure) : []),
        ],
        counts,
        measurements,
    };
    const done = (result, reason) => {
        deps.log(`analysis ${metric.name}: ${result}: ${reason}`);
        return { ...base, result, reason };
    };
    // In a bake the first measurement comes one interval in: right after the switch there is little to see.
    const first = metric.initialDelayMs + (metric.count === undefined ? metric.intervalMs : 0);
    for (let index = 0;; index++) {
        if (metric.count !== undefined && index >= metric.count)
            break;
        const dueAt = first + index * metric.intervalMs;
        if (metric.count === undefined && config.bakeMs !== undefined && dueAt > config.bakeMs)
            break;
        await deps.sleep(started + dueAt - deps.now(), signal);
        if (signal.aborted)
            break;
        const measurement = await measure(metric, provider, signal, Math.round(deps.now() - started));
        if (signal.aborted && measurement.phase === 'error')
            break;
        measurements.push(measurement);
        counts[measurement.phase]++;
        errorsInRow = measurement.phase === 'error' ? errorsInRow + 1 : 0;
        deps.log(`analysis ${metric.name}: measurement ${index + 1} ${measurement.phase}: ${measurement.message}`);
        if (metric.failureLimit >= 0 && counts.failed > metric.failureLimit) {
            return done('failed', `${counts.failed} measurement(s) failed ${base.condition} (failure-limit ${metric.failureLimit}); last: ${measurement.message}`);
        }
        if (errorsInRow > metric.consecutiveErrorLimit) {
            return done('failed', `${errorsInRow} provider errors in a row (consecutive-error-limit ${metric.consecutiveErrorLimit}); last: ${measurement.message}`);
        }
        if (counts.inconclusive > metric.inconclusiveLimit) {
            return done('inconclusive', `${counts.inconclusive} inconclusive measurement(s) (inconclusive-limit ${metric.inconclusiveLimit}); last: ${measurement.message}`);
        }
    }
    const judged = counts.successful + counts.failed + counts.inconclusive;
    if (!judged) {
        const why = signal.aborted
            ? 'stopped before any measurement'
            : `no measurement got an answer (${counts.error} provider errors)`;
        return done('inconclusive', why);
    }
    if (!counts.successful) {
        return done('inconclusive', `no measurement met ${base.condition} (${counts.inconclusive} inconclusive, ${counts.failed} failed, ${counts.error} errors)`);
    }
    const over = config.bakeMs !== undefined && metric.count === undefined ? ` over ${(0,duration/* formatDuration */.a3)(config.bakeMs)}` : '';
    return done('passed', `${counts.successful} of ${measurements.length} measurements met ${base.condition}${over}`);
}
/** One measurement: the provider's answer judged against the conditions. */
async function measure(metric, provider, signal, atMs) {
    let answer;
    try {
        answer = await provider.measure(metric, signal);
    }
    catch (error) {
        return { atMs, phase: 'error', message: String(error?.message ?? error) };
    }
    const series = answer.map((s) => ({ labels: formatLabels(s.labels), values: s.values }));
    const values = answer.flatMap((s) => s.values);
    if (!values.length)
        return { atMs, phase: 'inconclusive', series, message: 'no data (the query returned nothing)' };
    const failing = values.find((v) => !Number.isNaN(v) && judgeValue(metric, v) === 'failed');
    if (failing !== undefined) {
        const labels = series.find((s) => s.values.includes(failing))?.labels;
        const where = labels && labels !== '{}' ? ` in ${labels}` : '';
        return {
            atMs,
            phase: 'failed',
            value: failing,
            series,
            message: `${format(failing)}${where} fails ${describeCondition(metric)}`,
        };
    }
    const value = values.find((v) => !Number.isNaN(v));
    if (values.some((v) => Number.isNaN(v))) {
        return { atMs, phase: 'inconclusive', value, series, message: 'NaN (no traffic to divide by?)' };
    }
    if (values.some((v) => judgeValue(metric, v) === 'inconclusive')) {
        return {
            atMs,
            phase: 'inconclusive',
            value,
            series,
            message: `${format(value)} meets neither condition`,
        };
    }
    const shown = values.length > 1
        ? `${values.length} values, ${format(Math.min(...values))}…${format(Math.max(...values))}`
        : format(values[0]);
    return {
        atMs,
        phase: 'successful',
        value,
        series,
        message: `${shown} meet(s) ${describeCondition(metric)}`,
    };
}
/** Argo's rule: the failure condition wins; with only one condition, the other outcome is its negation. */
function judgeValue(metric, value) {
    if (metric.failure && (0,condition/* holds */.v9)(metric.failure, value))
        return 'failed';
    if (metric.success)
        return (0,condition/* holds */.v9)(metric.success, value) ? 'successful' : metric.failure ? 'inconclusive' : 'failed';
    return 'successful';
}
function describeCondition(metric) {
    const parts = [];
    if (metric.success)
        parts.push(metric.success.text);
    if (metric.failure)
        parts.push(`not (${metric.failure.text})`);
    return parts.join(' and ');
}
function formatLabels(labels) {
    const entries = Object.entries(labels);
    return `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}
function format(value) {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/analyse-release.ts




/** The real providers the config asks for, a monotonic clock, abortable sleeps. Call `close` when done. */
function defaultAnalysisDeps(config, log = () => { }) {
    const providers = {};
    if (config.prometheus)
        providers.prometheus = createPrometheusProvider(config.prometheus, config.secrets);
    if (config.cloudwatch)
        providers.cloudwatch = lazyCloudWatch(config, log);
    return {
        providers,
        now: () => external_node_perf_hooks_.performance.now(),
        sleep: abortableSleep,
        log,
        close: async () => {
            await Promise.all(Object.values(providers).map((p) => p.close()));
        },
    };
}
/**
 * The hook other gates join: runs an analysis with the real providers (or `deps`), closes them, and masks
 * the config's secrets out of every line and of the result.
 */
async function analyseRelease(config, options = {}) {
    const mask = (text) => analyse_release_maskText(text, config.secrets);
    const log = (line) => options.log?.(mask(line));
    const real = options.deps ? undefined : defaultAnalysisDeps(config, log);
    const deps = options.deps ? { ...options.deps, log } : real;
    try {
        const result = await runAnalysis(config, deps, options.signal);
        return JSON.parse(mask(JSON.stringify(result)));
    }
    finally {
        await real?.close();
    }
}
/** Two gates' verdicts as one: failed wins, then inconclusive. */
function joinVerdicts(...verdicts) {
    if (verdicts.includes('failed'))
        return 'failed';
    if (verdicts.includes('inconclusive'))
        return 'inconclusive';
    return 'passed';
}
function analyse_release_maskText(text, secrets) {
    let out = text;
    for (const secret of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
        for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)]))
            out = out.split(form).join('***');
    }
    return out;
}
/** The AWS SDK is loaded only when a CloudWatch metric is measured (bundles put it in a chunk of its own). */
function lazyCloudWatch(config, log) {
    const startedAt = config.since ?? Date.now();
    const startedWhat = config.since === undefined ? 'the analysis began' : 'the deploy began';
    let provider;
    const load = () => {
        provider ??= Promise.all(/* import() */[__webpack_require__.e(793), __webpack_require__.e(526)]).then(__webpack_require__.bind(__webpack_require__, 8526)).then((m) => m.createCloudWatchProvider(config.cloudwatch ?? {}, { startedAt, startedWhat, log }));
        return provider;
    };
    return {
        measure: async (metric, signal) => (await load()).measure(metric, signal),
        close: async () => {
            if (provider)
                await (await provider).close();
        },
    };
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/canary-metrics.ts


/**
 * The metrics analysis (Prometheus, CloudWatch alarms: ./analysis) as a canary step's hook: the same metrics,
 * measured over each step's bake (its canary-interval: metrics without `count` measure every `interval` until
 * it ends), judged as smoke-test judges them. Join it to the entry point's judge with joinCanaryAnalyses; a
 * failing metric stops the step at that measurement. Queries that should see the new version alone select it by
 * label (`version="{{ version }}"`). `analysis` is the plain analysis (as the `analysis` input's YAML gives it),
 * built once here with `bakeMs` (the interval) so that a bad one fails before any step.
 */
function metricsCanaryAnalysis(analysis, options, hook = {}) {
    buildAnalysisConfig(analysis, options);
    return stepAnalysis((bakeMs) => buildAnalysisConfig(analysis, { ...options, bakeMs }), hook);
}
/**
 * The same hook from an action's analysis inputs (readAnalysisSpec), already checked when they were read, with the
 * values known only now (`later` when they were read).
 */
function inputsCanaryAnalysis(inputs, hook = {}, vars = {}) {
    return stepAnalysis((bakeMs) => inputs.withBake(bakeMs, vars), hook);
}
/** Each step: the analysis built for the step's bake, run until it ends or another hook failed. */
function stepAnalysis(build, hook) {
    return async (step, signal) => {
        const result = await analyseRelease(build(step.durationMs), { log: hook.log, deps: hook.deps, signal });
        return { verdict: result.result, reason: `metrics: ${result.reason}` };
    };
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/entry-checks.ts





/**
 * The entry point's checks of a rolling deploy (deploy-compose's `public-url`, with the gate's assertions):
 * `ready` waits, while old and new containers are both in rotation, until every URL answers as the new release
 * (a proxy that cannot reach the new containers keeps answering from the old ones, which `expect-version` tells
 * apart); `verify` is the whole gate once the old containers left the rotation, before any of them stops.
 */
/** What one answer was: its status (or error) and body excerpt, then why it did not pass. */
function describeAnswer(sample) {
    const { evidence } = sample;
    const got = evidence.status !== undefined
        ? `HTTP ${evidence.status}`
        : (evidence.error ?? sample.code ?? 'no answer');
    const body = evidence.excerpt ? ` ${JSON.stringify(evidence.excerpt.trim().slice(0, 80))}` : '';
    return `it answered ${got}${body}: ${sample.reasons.join('; ')}`;
}
function entryChecks(config, log) {
    return {
        async ready(what) {
            const deps = defaultGateDeps(config, log);
            const controller = new AbortController();
            const timer = setTimeout(() => controller.abort(), (0,duration/* timerDelay */.nR)(config.readyTimeoutMs + config.timeoutMs));
            try {
                for (const check of config.checks) {
                    const ready = await awaitReady(check, config, deps, controller.signal);
                    if (!ready.ready) {
                        const answer = ready.last ? describeAnswer(ready.last) : 'no answer';
                        throw new errors/* UserError */.yo((0,src_secrets/* maskSecrets */.QU)(`${what}: the entry point (public-url ${check.url}) did not answer as the new release within ${(0,duration/* formatDuration */.a3)(config.readyTimeoutMs)}, while the old containers were still in rotation: ${answer}. The switch was undone; the old containers serve on.`));
                    }
                }
            }
            finally {
                clearTimeout(timer);
                await deps.client.close();
            }
        },
        async verify(what) {
            const deps = defaultGateDeps(config, log);
            try {
                const result = await runGate(config, deps);
                if (result.result !== 'passed') {
                    const failed = result.checks.filter((c) => c.result !== 'passed');
                    throw new errors/* UserError */.yo((0,src_secrets/* maskSecrets */.QU)(`${what}: after the switch the entry point failed its checks (${failed.map((c) => `${c.url}: ${c.reason}`).join('; ')}). The switch was undone; the old containers serve on.`));
                }
            }
            finally {
                await deps.client.close();
            }
        },
    };
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/pre-switch.ts







/**
 * blue-green's pre-switch verification: public-url's whole gate (the same URLs' paths, Host and assertions:
 * expect-status, expect-json, expect-version) run against ONE new container directly - every connection made by
 * `connect`, a stream the host opens to the container's address - while the proxy still sends every user
 * request to the old colour. A failure throws with the gate's evidence; the caller removes the new colour.
 */
function preSwitchCheck(config, log) {
    return async (what, connect) => {
        const client = createHttpClient(config.tls, src_secrets/* isSecretHeader */.io, connect);
        try {
            const deps = { client, now: () => external_node_perf_hooks_.performance.now(), sleep: abortableSleep, random: Math.random, log };
            // The container is already healthy: an answer that is not the new release now will not become one.
            const result = await runGate({ ...config, readyTimeoutMs: Math.min(config.readyTimeoutMs, 5_000) }, deps);
            if (result.result !== 'passed') {
                const failed = result.checks.filter((c) => c.result !== 'passed');
                throw new errors/* UserError */.yo((0,src_secrets/* maskSecrets */.QU)(`${what} failed the pre-switch checks (${failed.map((c) => `${c.url}: ${c.reason}`).join('; ')}). The new colour was removed before any user request reached it; the old one serves on.`));
            }
            log(`${what}: passed the pre-switch checks.`);
        }
        finally {
            await client.close();
        }
    };
}

;// CONCATENATED MODULE: ../../packages/shared/src/deployments/release-history.ts

const DIGEST = /@(sha256:[0-9a-f]{64})$/;
/** The digest an image reference pins (`repo@sha256:…`), if it pins one. */
const release_history_imageDigest = (ref) => DIGEST.exec(ref)?.[1];
/** The digests a recorded deployment ran. */
function digestsOf(deployment) {
    return Object.values(deployment.payload?.images ?? {})
        .map(release_history_imageDigest)
        .filter((d) => d !== undefined);
}
/**
 * The one verdict on deploying a digest a rollback marked bad (`where`: by whom, e.g. "a rollback on host h1"):
 * refused, or with `force` a warning.
 */
function refuseBadDigest(digest, where, reason, force, warning) {
    const message = `${digest} was marked bad by ${where} (${reason || 'no reason given'}).`;
    if (!force)
        throw new errors/* UserError */.yo(`${message} Deploy a fixed image, or set force: true to deploy it anyway.`);
    warning(`${message} Deploying it anyway because force is true.`);
}
/** Why a digest must not be deployed again (some deployment that ran it was marked bad), if it must not. */
function badDigestReason(history, digest) {
    return history.find((d) => d.badReason !== undefined && digestsOf(d).includes(digest))?.badReason;
}
/**
 * The last good deployment of an environment: newest first, the first one that reached `success`, was not
 * marked bad, runs no digest marked bad elsewhere, and is not `excludeId` (the release being rolled away from).
 * Never "the previous one" blindly.
 */
function lastGoodDeployment(history, options = {}) {
    const bad = new Set([
        ...(options.excludeDigests ?? []),
        ...history.filter((d) => d.badReason).flatMap(digestsOf),
    ]);
    return history.find((d) => d.id !== options.excludeId &&
        d.payload !== undefined &&
        d.badReason === undefined &&
        d.statuses.some((s) => s.state === 'success') &&
        !digestsOf(d).some((digest) => bad.has(digest)));
}

;// CONCATENATED MODULE: ../../packages/shared/src/deployments/deployment-recorder.ts

/**
 * GitHub Deployments for a deploy action. The API is a record, not a dependency: without a token, or when the
 * API fails, the deploy goes on with a notice or a warning — except that a digest known to be bad is refused.
 */
function createDeploymentRecorder(settings, deps) {
    let deploymentId;
    const apiProblem = (what, error) => deps.warning(`${what} (GitHub API: ${error.message}). The deploy goes on without it.`);
    if (!deps.records) {
        deps.notice('No GitHub token: this deploy is not recorded as a GitHub Deployment and its digests are not checked ' +
            'against earlier rollbacks. Pass github-token (the default, ${{ github.token }}, needs "deployments: write").');
    }
    let history;
    const judged = new Set();
    const readHistory = (records) => {
        history ??= records.history().catch((error) => {
            apiProblem('Could not check the digests against earlier rollbacks', error);
            return undefined;
        });
        return history;
    };
    return {
        get deploymentId() {
            return deploymentId;
        },
        async guard(digests) {
            if (!deps.records || !digests.length)
                return;
            const known = await readHistory(deps.records);
            if (!known)
                return;
            for (const item of digests) {
                const { digest, what } = typeof item === 'string' ? { digest: item, what: undefined } : item;
                if (judged.has(digest))
                    continue;
                judged.add(digest);
                const reason = badDigestReason(known, digest);
                if (reason === undefined)
                    continue;
                refuseBadDigest(what ? `${what}: ${digest}` : digest, 'a rollback', reason, settings.force, deps.warning);
            }
        },
        async begin(payload, description) {
            if (!deps.records || !settings.enabled || !settings.environment)
                return;
            if (!settings.sha) {
                deps.warning('No commit SHA (GITHUB_SHA) to record the deployment against: it is not recorded.');
                return;
            }
            try {
                deploymentId = await deps.records.start({
                    environment: settings.environment,
                    sha: settings.sha,
                    payload: { slipway: 1, ...payload, sha: settings.sha },
                    description,
                });
            }
            catch (error) {
                apiProblem(`Could not record the deployment to ${settings.environment}`, error);
            }
        },
        async end(state, details = {}) {
            if (!deps.records || deploymentId === undefined)
                return;
            try {
                await deps.records.finish(deploymentId, state, {
                    description: details.description,
                    environmentUrl: details.environmentUrl ?? settings.environmentUrl,
                });
            }
            catch (error) {
                apiProblem(`Could not set the deployment's status to ${state}`, error);
            }
        },
    };
}

// EXTERNAL MODULE: ../../packages/shared/src/host-history/history-file.ts
var history_file = __webpack_require__(92256);
// EXTERNAL MODULE: ../../packages/shared/src/limiter.ts
var limiter = __webpack_require__(92081);
;// CONCATENATED MODULE: ../../packages/shared/src/host-history/history-entry.ts

/** The release a host runs now: the newest entry that is deployed. */
function currentRelease(history) {
    return [...history].reverse().find((entry) => entry.result === 'deployed');
}
/** Why a host must not run `digest` again (a release running it was marked bad there), if it must not. */
function hostBadDigest(history, digest) {
    const entry = [...history]
        .reverse()
        .find((e) => e.bad && Object.values(e.images).some((ref) => release_history_imageDigest(ref) === digest));
    return entry?.bad && { releaseId: entry.id, mark: entry.bad };
}
/** Why a host must not go back to release `id` (marked bad, or running a digest marked bad), if it must not. */
function hostBadRelease(history, id) {
    const entries = history.filter((e) => e.id === id);
    const marked = entries.find((e) => e.bad)?.bad;
    if (marked)
        return marked;
    for (const ref of entries.flatMap((e) => Object.values(e.images))) {
        const digest = imageDigest(ref);
        const found = digest && hostBadDigest(history, digest);
        if (found)
            return found.mark;
    }
    return undefined;
}
/**
 * Releases a host could go back to: successful ones other than the current, newest first, one per id, never one
 * marked bad or running a digest marked bad (not "the previous one" blindly).
 */
function previousReleases(history) {
    const seen = new Set([currentRelease(history)?.id]);
    return [...history].reverse().filter((entry) => {
        if (entry.result !== 'deployed' || seen.has(entry.id))
            return false;
        seen.add(entry.id);
        return hostBadRelease(history, entry.id) === undefined;
    });
}
/** Marks every entry of release `id` bad (in place): a rollback rolled away from it. */
function markReleaseBad(history, id, mark) {
    for (const entry of history)
        if (entry.id === id)
            entry.bad = mark;
}

// EXTERNAL MODULE: ../../packages/shared/src/compose-fleet/host-lock.ts
var host_lock = __webpack_require__(90377);
;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/blue-green.ts



const DEFAULT_KEEP_PREVIOUS_MS = 10 * 60_000;
/** How long the keep-previous timer holds the deploy lock at most before a deploy may take it over (it died). */
const TIMER_LOCK_TTL_SECONDS = 120;
/**
 * The script the keep-previous timer runs on the host when the window ends (bg-timer.sh): it takes the project's
 * deploy lock as a deploy does (lock-acquire.sh), waiting up to 10 s (at most the window); a deploy that holds it
 * owns the kept colour, and the timer tries again a minute (at most the window) later, until a deploy cancelled
 * it or the lock is free. Then it stops the kept colour and releases the lock (lock-release.sh).
 */
function keepTimerScript(keepSeconds) {
    return (0,host_script/* hostScript */.Q1)({
        LOCK_ACQUIRE: (0,host_script/* shellFile */.jI)('lock-acquire'),
        LOCK_RELEASE: (0,host_lock/* lockReleaseScript */.gX)(),
        LOCK_INFO: `owner=${host_lock/* KEEP_PREVIOUS_TIMER */.cE}\nrun=the end of keep-previous: stopping the previous blue-green colour`,
        LOCK_TTL: TIMER_LOCK_TTL_SECONDS,
        LOCK_WAIT: Math.max(1, Math.min(10, keepSeconds)),
        RETRY_SECONDS: Math.max(1, Math.min(60, keepSeconds)),
    }, 'bg-timer');
}
/** blue and green alternate: a release takes the colour its predecessor on the host did not have. */
function nextColour(history) {
    const last = [...history].reverse().find((e) => e.result === 'deployed');
    return last?.colour === 'blue' ? 'green' : 'blue';
}
/** `service digest` lines: the files each service runs with, as the host records them (.slipway-state). */
const filesDigests = (services) => services.map((s) => `${s.name} ${s.filesDigest ?? ''}`).join('\n');
/**
 * Before every deploy (bg-prepare.sh): a previous colour still kept running out of rotation is switched back to
 * when this deploy goes back to that very release (a rollback, or an atomic revert, inside keep-previous: no
 * pull, no start), else stopped. A switch back first makes that release's files live again (and their digests
 * the recorded ones), so the kept colour and the proxies read the files they ran with. Returns the services
 * switched back, or undefined (the deploy goes on).
 */
async function switchBackIfKept(phase, release, where, log) {
    const values = { TARGET_RELEASE: release.id, FILES_DIGESTS: filesDigests(release.services) };
    const { stdout } = await phase('bg-prepare', values, 'the previous colour');
    const lines = stdout.split('\n').map((line) => line.trim().split(/\s+/));
    const back = lines.filter(([kind]) => kind === 'switched-back').map(([, service]) => service);
    const retired = lines.filter(([kind]) => kind === 'retired').length;
    if (retired > 0)
        log(`${where}: stopped the previous colour kept by the last blue-green deploy (${retired} container(s)).`);
    if (back.length === 0)
        return undefined;
    log(`${where}: switched back to release ${release.id}, still running out of rotation (${back.join(', ')}): nothing pulled or started.`);
    return back;
}
/** Can this changed service get a second colour beside the first? (Else it is recreated or reloaded, as before.) */
function takesColours(service, change) {
    return change.running && !service.recreateReason && !(change.what === 'files' && service.proxy);
}
/** The port the proxies (or the HTTP check) reach a service on, where the pre-switch checks reach it too. */
function servicePort(service) {
    const fromCheck = /^:(\d+)/.exec(service.httpCheck ?? '')?.[1];
    return service.upstreamPorts?.[0] ?? (fromCheck ? Number(fromCheck) : undefined);
}
/** blue-green for the services that can have two colours; the others as a rolling deploy would, pre-switch. */
async function applyColours(context) {
    const { release, changes, options, entry } = context;
    const changed = release.services.filter((s) => changes.has(s.name));
    const coloured = changed.filter((s) => takesColours(s, changes.get(s.name)));
    const others = changed.filter((s) => !coloured.includes(s));
    const applyOthers = async () => {
        for (const service of others)
            await context.applyOne(service, changes.get(service.name));
    };
    if (coloured.length === 0)
        return applyOthers();
    const event = await applyBlueGreen({
        phase: context.phase,
        where: context.where,
        services: coloured,
        valuesOf: context.valuesOf,
        entryCheck: release.services.some((s) => s.proxy) && !entry,
        entrySeconds: Math.ceil(options.timings.healthTimeoutMs / 1000),
        entry: entry && coloured.some((s) => s.public) ? entry : undefined,
        forward: context.forward,
        applyOthers,
        previousReleaseId: options.previousReleaseId,
        keepPreviousMs: options.blueGreen?.keepPreviousMs ?? DEFAULT_KEEP_PREVIOUS_MS,
        drain: () => (options.sleep ?? retry/* sleep */.yy)(options.timings.drainMs),
        log: options.log,
        notice: options.notice,
    });
    if (event)
        options.onColours?.(event);
}
/**
 * Blue-green for every service of `services` together: the new colour of each starts beside the old one, out of
 * rotation, healthy (bg-up); the public-url checks run against each new container directly (pre-switch), before
 * any user request reaches it; then one switch for all of them (bg-switch), and public-url through the entry
 * point. Any failure goes back (bg-back): before the switch the new colour is just removed (users saw nothing),
 * after it the old colour rejoins the rotation. Then the old colour is kept out of rotation (bg-keep).
 */
async function applyBlueGreen(run) {
    const { phase, where, services } = run;
    const names = services.map((s) => s.name).join(' ');
    const fresh = [];
    try {
        for (const service of services) {
            run.log(`${where}: ${service.name}: starting the new colour beside the old one, out of rotation.`);
            const up = await phase('bg-up', run.valuesOf(service), `blue-green: the new colour of ${service.name}`);
            for (const line of up.stdout.split('\n')) {
                const [kind, id, address] = line.trim().split(/\s+/);
                if (kind === 'new' && id)
                    fresh.push({ service, id, address });
            }
        }
        await preSwitch(run, fresh);
        await run.applyOthers();
        run.log(`${where}: switching ${names} to the new colour.`);
        const values = { SERVICES: names, ENTRY_CHECK: run.entryCheck, ENTRY_SECONDS: run.entrySeconds };
        await phase('bg-switch', values, `blue-green: the switch of ${names}`);
        if (run.entry) {
            await run.drain();
            await run.entry.verify(names);
        }
    }
    catch (error) {
        run.log(`${where}: going back to the old colour of ${names}; it never stopped.`);
        await phase('bg-back', { SERVICES: names }, `blue-green: back to the old colour of ${names}`).catch((again) => run.log(`${where}: could not go back (${again.message}).`));
        throw error;
    }
    const keepSeconds = Math.ceil(run.keepPreviousMs / 1000);
    const kept = await phase('bg-keep', {
        SERVICES: names,
        FILES_DIGESTS: filesDigests(services),
        PREVIOUS_RELEASE: run.previousReleaseId ?? '',
        KEEP_SECONDS: keepSeconds,
        TIMER_SCRIPT: keepTimerScript(keepSeconds),
    }, 'blue-green: keeping the previous colour');
    const containers = {};
    for (const line of kept.stdout.split('\n')) {
        const [kind, service, id] = line.trim().split(/\s+/);
        if (kind === 'kept' && service && id)
            containers[service] = [...(containers[service] ?? []), id.slice(0, 12)];
    }
    const ids = Object.values(containers).flat();
    if (ids.length === 0)
        return undefined;
    const until = new Date(Date.now() + keepSeconds * 1000).toISOString();
    if (kept.stdout.split('\n').some((line) => line.trim() === 'timer not-started')) {
        run.notice(`${where}: the previous colour (${ids.length} container(s)) keeps running out of rotation, but nothing will stop it at ${until}: its keep-previous timer did not start on the host within 5 s (a busy host?). The next deploy of this project stops it; to stop it now, run "docker rm -f ${ids.join(' ')}" on the host.`);
    }
    else {
        run.log(`${where}: the previous colour (${ids.length} container(s)) stays running out of rotation until ${until}.`);
    }
    return { kind: 'kept', containers, until };
}
/** public-url's checks against each new container of each public service, through the host (ssh forwarding). */
async function preSwitch(run, fresh) {
    const check = run.entry?.preSwitch;
    if (!check || !run.forward)
        return;
    for (const { service, id, address } of fresh) {
        if (!service.public)
            continue;
        const port = servicePort(service);
        if (port === undefined || !address) {
            run.log(`${run.where}: ${service.name}: no pre-switch check (no port known: the proxy's upstream or a health-checks entry names it).`);
            continue;
        }
        const forward = run.forward;
        await check(`${service.name}: the new container ${id.slice(0, 12)} (${address}:${port})`, () => forward(address, port));
    }
}
/** What a deployed release's history entry says about strategy and colours. */
function colourRecord(history, strategy, event, previousId, changed) {
    // Back to the colour kept running: the other one than the release switched away from.
    if (event?.kind === 'switched-back')
        return { strategy: 'switch-back', colour: nextColour(history) };
    if (strategy !== 'blue-green')
        return { strategy };
    // nothing changed: the colour serving is the one already recorded
    if (!changed) {
        const colour = [...history].reverse().find((e) => e.result === 'deployed')?.colour;
        return { strategy, ...(colour ? { colour } : {}) };
    }
    return {
        strategy,
        colour: nextColour(history),
        ...(event?.kind === 'kept' && previousId
            ? { kept: { release: previousId, containers: event.containers, until: event.until } }
            : {}),
    };
}

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/canary-fleet.ts
/** `fleet` as seen from `host`. */
const memberOf = (fleet, host) => ({
    judge: (service, step) => fleet.judge(host, service, step),
    leave: (service, failure) => fleet.leave(host, service, failure),
});
const round1 = (n) => Math.round(n * 10) / 10;
function canaryFleet(hosts, analysis, options) {
    /** Who left which service's canary ('*': every service). */
    const left = new Map();
    /** With atomic: the first failure, for every service ('*') or one. */
    const failures = new Map();
    const rounds = new Map();
    const hasLeft = (host, service) => left.get('*')?.has(host) || left.get(service)?.has(host) || false;
    const failureOf = (service) => failures.get(service) ?? failures.get('*');
    const failed = (reason) => ({
        verdict: 'failed',
        reason: `${reason}; every host sends its traffic back to the old version (atomic)`,
    });
    function roundOf(service, number) {
        const key = `${service}\n${number}`;
        let round = rounds.get(key);
        if (!round) {
            let resolve = () => undefined;
            const done = new Promise((r) => {
                resolve = r;
            });
            const abort = new AbortController();
            round = { arrived: new Map(), started: false, settled: false, resolve, done, abort };
            rounds.set(key, round);
        }
        return round;
    }
    /** Starts a round's one judgement once every host still taking part has arrived; fails it on a failure. */
    function settle(round, judgement) {
        if (round.settled)
            return;
        round.settled = true;
        round.resolve(judgement);
    }
    function advance(service, round) {
        if (round.settled)
            return;
        const failure = failureOf(service);
        if (failure) {
            settle(round, failed(failure));
            round.abort.abort();
            return;
        }
        if (round.started)
            return;
        const waiting = hosts.filter((h) => !hasLeft(h, service) && !round.arrived.has(h));
        if (waiting.length > 0 || round.arrived.size === 0)
            return;
        round.started = true;
        const steps = [...round.arrived.values()];
        const [first] = steps;
        const names = [...round.arrived.keys()];
        const step = {
            ...first,
            // hosts with other container counts give other replica ratios: the fleet's is their mean (equal traffic per host)
            effective: round1(steps.reduce((sum, s) => sum + s.effective, 0) / steps.length),
            what: `${service} on ${names.length} host(s) (${names.join(', ')})`,
        };
        analysis(step, round.abort.signal).then((judgement) => settle(round, judgement), (error) => settle(round, { verdict: 'failed', reason: `the step could not be judged: ${error.message}` }));
    }
    function advanceAll(service) {
        for (const [key, round] of rounds) {
            const [name] = key.split('\n');
            if (service === undefined || name === service)
                advance(name, round);
        }
    }
    return {
        judge(host, service, step) {
            const round = roundOf(service, step.number);
            round.arrived.set(host, step);
            advance(service, round);
            return round.done;
        },
        leave(host, service, failure) {
            const scope = service ?? '*';
            if (hasLeft(host, scope))
                return;
            if (!left.has(scope))
                left.set(scope, new Set());
            left.get(scope)?.add(host);
            if (failure && options.atomic && !failureOf(scope)) {
                // its own error says the rest (the host's result): here, the line that says why
                const why = failure.trim().split('\n').at(-1)?.trim() || failure;
                failures.set(scope, `${host} failed (${why})`);
            }
            advanceAll(service);
        },
    };
}
/**
 * strategy canary on several hosts: each host's canary options with its part in the lockstep, when every host
 * deploys at once; else undefined (each host takes its own steps), with a notice saying how to get the lockstep.
 */
function lockstepCanary(names, options) {
    const { canary } = options;
    if (!canary || names.length < 2)
        return undefined;
    if (options.maxParallel < names.length) {
        options.notice(`canary on ${names.length} hosts with max-parallel ${options.maxParallel}: each host takes its own steps, ` +
            "and each host's steps are judged through public-url, which answers for the whole fleet. Set max-parallel " +
            `to ${names.length} or more to take every step on every host at once, judged once for the fleet.`);
        return undefined;
    }
    options.log(`canary on ${names.length} hosts in lockstep: each step is judged once for the whole fleet.`);
    const fleet = canaryFleet(names, canary.analysis, { atomic: options.atomic });
    return (host) => ({ ...canary, fleet: memberOf(fleet, host) });
}

// EXTERNAL MODULE: ../../packages/shared/src/remote/write-files.ts + 1 modules
var write_files = __webpack_require__(45854);
// EXTERNAL MODULE: ../../packages/shared/src/compose-fleet/canary-steps.ts
var canary_steps = __webpack_require__(96645);
;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/roll-finish.ts
/**
 * roll-finish (sh/roll-finish.sh), rolling's and the canary's last phase: the old containers, out of rotation,
 * are queued to stop after the verdict once drained, for drain-period from now or, when they drained already
 * (`drained`: the entry point was judged after a drain, or a canary step outlasted it), not at all. The same drain
 * goes to the host (DRAIN, which their stop waits out) and to `onDrain` (the step reports once it is over).
 */
async function finishRoll(run, label, drain) {
    await run('roll-finish', label, drain.drained ? { DRAIN: 0 } : {});
    const ms = drain.drained ? 0 : drain.drainMs;
    drain.onDrain?.(ms);
    return ms;
}

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/canary.ts



const PROXY_NAMES = { haproxy: 'HAProxy', nginx: 'Nginx' };
/**
 * canary-open's answer (weights.sh): `servers M KIND` per HAProxy backend or Nginx container that takes weights
 * (M servers of the old containers in it), or `replicas PROXY KIND` (a proxy that follows DNS: the replica ratio
 * is what it offers) or `replicas PROXY WHY` (a proxy whose weights cannot be used, and how to fix it: a notice).
 */
function shareMechanism(stdout, service) {
    const lines = stdout.split('\n').map((l) => l.trim());
    const refusals = lines.filter((l) => l.startsWith('replicas ')).map((l) => l.split(' '));
    const cannot = refusals.find((r) => r.length > 3);
    if (cannot) {
        const [, proxy, ...why] = cannot;
        const who = proxy === '-' ? '' : `${proxy} cannot take the canary's weights: `;
        return { kind: 'replicas', why: `${who}${why.join(' ')}`, notice: proxy !== '-' };
    }
    if (refusals.length > 0) {
        const proxies = refusals.map(([, proxy, kind]) => `${proxy} (${kind})`).join(', ');
        const nginx = refusals.some(([, , kind]) => kind === 'nginx')
            ? ` (Nginx takes weights when its upstream includes a file named slipway-${service}.conf: see "Canary" in the README)`
            : '';
        return {
            kind: 'replicas',
            why: `${proxies} spread${refusals.length === 1 ? 's' : ''} requests over the addresses of ${service}'s DNS name${nginx}`,
            notice: false,
        };
    }
    const found = lines.map((l) => /^servers (\d+) (\w+)$/.exec(l)).filter((m) => m !== null);
    const counts = [...new Set(found.map((m) => Number(m[1])))];
    const kinds = [...new Set(found.map((m) => PROXY_NAMES[m[2]] ?? m[2]))];
    if (counts.length === 1)
        return { kind: 'weights', proxy: kinds.join(' and '), oldServers: counts[0] };
    return {
        kind: 'replicas',
        why: counts.length === 0
            ? 'canary-open found no proxy that takes weights'
            : `the proxies hold different numbers of servers of ${service} (${counts.join(', ')}): one set of weights cannot give each the same share`,
        notice: counts.length > 1,
    };
}
function planFor(mechanism, steps, oldCount) {
    return mechanism.kind === 'weights'
        ? (0,canary_steps/* canaryWeightPlan */.uV)(steps, oldCount, mechanism.proxy, mechanism.oldServers)
        : (0,canary_steps/* canaryPlan */.cq)(steps, oldCount);
}
/**
 * One service through the canary steps. canary-open finds how the proxies can share the traffic: HAProxy's
 * server weights (its runtime API) or the replica ratio (shareMechanism), and the plan follows. Each step puts its
 * new containers in rotation beside the old ones (canary-up; at 100% the old ones leave the rotation: roll-switch) and lets the analysis judge the new version
 * for canary-interval. A failed step, or an inconclusive one with fail-on-inconclusive, sends all traffic back to
 * the old containers at once and removes the new ones (roll-undo), and throws naming the step. After the last
 * step the old containers, out of rotation for a whole interval already, stop (roll-finish).
 */
async function rollCanary(context, canary) {
    const { host, service, run, log } = context;
    const where = `${host}: ${service}`;
    const signal = new AbortController().signal;
    try {
        const opened = await run('canary-open', `canary ${service}: how the proxies can share the traffic`);
        const mechanism = shareMechanism(opened.stdout, service);
        const plan = planFor(mechanism, canary.steps, context.oldCount);
        if (mechanism.kind === 'weights') {
            log(`${where}: the canary's share is set by ${mechanism.proxy}'s server weights.`);
        }
        else {
            const said = `${where}: the canary's share is a replica ratio: ${mechanism.why}.`;
            if (mechanism.notice)
                context.notice(said);
            else
                log(said);
        }
        for (const [i, step] of plan.entries()) {
            const number = i + 1;
            const label = `canary ${service}, step ${number} of ${plan.length}`;
            await run('canary-up', `${label} (${step.newCount} new)`, {
                CANARY_NEW: step.newCount,
                CANARY_MODE: mechanism.kind,
                CANARY_WEIGHTS: step.weights ? `${step.weights.old} ${step.weights.new}` : '',
            });
            if (step.effective === 100)
                await run('roll-switch', `${label} (the old containers leave the rotation)`);
            log(`${where}: canary step ${number} of ${plan.length}: ${(0,canary_steps/* describeStep */.Ey)(step)}.`);
            const judged = {
                number,
                of: plan.length,
                declared: step.declared,
                effective: step.effective,
                durationMs: canary.intervalMs,
                what: where,
            };
            const judgement = canary.fleet
                ? await canary.fleet.judge(service, judged)
                : await canary.analysis(judged, signal);
            canary.onStep?.({
                host,
                service,
                step: number,
                declared: step.declared,
                effective: step.effective,
                newContainers: step.newCount,
                oldContainers: step.effective === 100 ? 0 : step.oldCount,
                ...(step.weights ? { weights: step.weights } : {}),
                observed: judgement.observed,
                verdict: judgement.verdict,
                reason: judgement.reason,
            });
            log(`${where}: canary step ${number}: ${judgement.verdict}: ${judgement.reason}.`);
            const fails = judgement.verdict === 'failed' || (judgement.verdict === 'inconclusive' && canary.failOnInconclusive);
            if (fails) {
                const why = judgement.verdict === 'inconclusive'
                    ? `inconclusive (fail-on-inconclusive is true): ${judgement.reason}`
                    : judgement.reason;
                throw new errors/* UserError */.yo(`${where}: canary step ${number} of ${plan.length} (${(0,canary_steps/* describeStep */.Ey)(step)}) failed: ${why}. All traffic went back to the old version; the new containers were removed.`);
            }
            if (judgement.verdict === 'inconclusive') {
                context.notice(`${where}: canary step ${number} was inconclusive, going on (fail-on-inconclusive: false).`);
            }
        }
    }
    catch (error) {
        canary.fleet?.leave(service, error.message);
        log(`${where}: aborting the canary: every request goes back to the old containers.`);
        await run('roll-undo', `undoing the canary of ${service}`).catch((again) => log(`${where}: could not undo the canary (${again.message}).`));
        throw error;
    }
    canary.fleet?.leave(service);
    // The last step kept the old containers out of rotation for a whole interval: they drained meanwhile.
    await finishRoll(run, `canary ${service}: the old containers stop`, {
        drained: canary.intervalMs >= context.drainMs,
        drainMs: context.drainMs,
        onDrain: context.onDrain,
    });
}

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/host-pre-deploy.ts


/** The line pre-deploy.sh writes before the one-off container runs (what comes before it is not its output). */
const PRE_DEPLOY_STARTED = 'slipway-pre-deploy-started';
/** As many last lines as deploy-ecs keeps of a one-off task (the summary); the error shows the last 5. */
const PRE_DEPLOY_LAST_LINES = 30;
/**
 * What the pre-deploy phase returned: the container's outcome and its output (masked), or undefined when the
 * phase failed before the container ran (the lock check, the prelude), which is not the container's outcome.
 */
function readPreDeploy(result) {
    const all = result.stdout.split(/\r?\n/);
    const at = all.indexOf(PRE_DEPLOY_STARTED);
    if (at < 0)
        return undefined;
    const lines = all.slice(at + 1);
    if (lines.at(-1) === '')
        lines.pop();
    if (result.timedOut)
        return { status: 'timed-out', lines: lines.map(src_secrets/* redactText */.Rd) };
    return {
        status: result.code === 0 ? 'succeeded' : 'failed',
        exitCode: result.code,
        lines: lines.map(src_secrets/* redactText */.Rd),
    };
}
/**
 * Runs the phase (`exec`, which returns a failure instead of throwing), logs the container's output, tells
 * `report` how it ended, and throws when it did not succeed, with its last lines.
 */
async function preDeployOnHost(host, pre, exec, ctx) {
    const now = ctx.now ?? Date.now;
    const start = now();
    const result = await exec();
    const read = readPreDeploy(result);
    const label = 'the pre-deploy hook';
    if (!read) {
        if (result.code === 0)
            return;
        throw new RemoteCommandError(host, label, result.code, (0,src_secrets/* maskSecrets */.QU)(result.stderr), result.timedOut);
    }
    for (const line of read.lines)
        ctx.log(`${host}: [pre-deploy] ${line}`);
    // A container that said nothing and failed: Compose's own error (no such image, no such service) says why.
    const own = read.status === 'succeeded' || read.lines.length ? '' : (0,src_secrets/* redactText */.Rd)(result.stderr.trim());
    const shown = [...read.lines, ...(own ? own.split(/\r?\n/) : [])].slice(-PRE_DEPLOY_LAST_LINES);
    ctx.report?.({
        ...pre,
        status: read.status,
        exitCode: read.exitCode,
        lastLines: shown,
        durationMs: now() - start,
    });
    if (read.status === 'succeeded')
        return;
    throw new RemoteCommandError(host, label, result.code, shown.join('\n'), result.timedOut);
}

// EXTERNAL MODULE: ../../packages/shared/src/ready-status.ts
var ready_status = __webpack_require__(95937);
;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/project-script.ts



/** The phases that may set a canary's weights on the project's proxies (weights.sh's functions). */
const WEIGHTED = new Set(['canary-open', 'canary-up', 'roll-undo']);
const seconds = (ms) => (ms / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';
/** The values prelude.sh reads: the project folder, and the release's Compose files there (none: no release). */
function releaseValues(release) {
    return {
        RELEASE_DIR: release ? `releases/${release.id}` : '',
        COMPOSE_FILES: release?.composeFiles.join(' ') ?? '',
        ENV_FILE: release?.envFile ?? '',
        // Compose reads `.env` from the project directory. A release's own folder has none, so the host's own
        // settings in the project folder's `.env` (per-host ports, names) still apply, as they did before releases
        // had folders of their own; an `env-file` input replaces it, as Compose's --env-file does.
        HOST_ENV: Boolean(release?.projectDirectory && !release.envFile),
        COMPOSE_DIRECTORY: release?.projectDirectory ?? '.',
        PROXIES: (release?.services ?? [])
            .filter((s) => s.proxy)
            .map((s) => `${s.name} ${s.proxy}${s.pooledByName ? ' pooled' : ''}`)
            .join('\n'),
    };
}
/**
 * The whole script of one deploy phase: its values, the lock check (when a lock is held), the functions
 * (lib.sh), `cd` into the project folder (prelude.sh), and the verb's own file (several verbs: their files in
 * order, one command instead of a round trip each).
 */
function projectScript(context, release, verb, values = {}) {
    return scriptOf(context, release, 'prelude', verb, values);
}
/**
 * The dry run's one script: the services' hashes (hashes.sh) of a release that is not on the host, its Compose
 * files unpacked from standard input into the command's private folder (plan-prelude.sh); writes nothing.
 */
function planHashesScript(context, release) {
    return scriptOf(context, release, 'plan-prelude', 'hashes', {});
}
function scriptOf(context, release, prelude, verb, values) {
    const { place, timings, lock } = context;
    const verbs = typeof verb === 'string' ? [verb] : verb;
    return (0,host_script/* hostScript */.Q1)({
        ...(lock ? (0,host_lock/* renewLockValues */.T4)(lock.handle, lock.seconds) : {}),
        PROJECT: place.project,
        PROJECT_DIR: place.dir,
        POLL: seconds(timings.pollMs),
        DRAIN: seconds(timings.drainMs),
        READY_STATUS: ready_status/* READY_STATUS */.R,
        ...releaseValues(release),
        ...values,
    }, ...(lock ? ['lock-renew'] : []), 'lib', ...(verbs.includes('bg-keep') ? ['detach'] : []), ...(verbs.some((v) => WEIGHTED.has(v)) ? ['weights'] : []), prelude, ...verbs, 
    // pull.sh starts the pull in the background, so the verbs after it overlap it; pulled.sh waits for it, last
    ...(verbs.includes('pull') ? ['pulled'] : []));
}

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/service-changes.ts
function parseHashes(stdout) {
    const hashes = { want: new Map(), have: new Map(), files: new Map() };
    for (const line of stdout.split('\n')) {
        const [kind, service, hash] = line.trim().split(/\s+/);
        if (!service)
            continue;
        if (kind === 'want')
            hashes.want.set(service, hash);
        if (kind === 'have')
            hashes.have.set(service, [...(hashes.have.get(service) ?? []), hash]);
        if (kind === 'files')
            hashes.files.set(service, hash);
    }
    return hashes;
}
/**
 * What differs per service between the host and the release: its Compose configuration (Compose's own config
 * hash; the same paths in every release, as files are mounted from `live`), or only the files it mounts (their
 * digest beside the one recorded when the service last had its files applied). Unchanged services are absent.
 */
function serviceChanges(release, hashes) {
    const changes = new Map();
    for (const service of release.services) {
        const running = hashes.have.get(service.name) ?? [];
        const want = hashes.want.get(service.name);
        if (running.length === 0) {
            changes.set(service.name, { what: 'config', running: false, count: 0, why: 'no container of it runs' });
        }
        else if (running.some((hash) => hash !== want)) {
            const from = running.find((hash) => hash !== want)?.slice(0, 12);
            const why = `its Compose configuration changed (hash ${from} -> ${want?.slice(0, 12)})`;
            changes.set(service.name, { what: 'config', running: true, count: running.length, why });
        }
        else if (service.filesDigest !== undefined && hashes.files.get(service.name) !== service.filesDigest) {
            changes.set(service.name, {
                what: 'files',
                running: true,
                count: running.length,
                why: 'its files changed',
            });
        }
    }
    return changes;
}
/** Proxies that re-read their configuration in place (reload.sh); others are recreated when it changes. */
const RELOADS = new Set(['nginx', 'haproxy', 'caddy']);
/**
 * How one changed service is applied: a proxy whose files alone changed is reloaded in place; a service that
 * can run twice is rolled under `rolling` (and `canary`, in steps); anything else is recreated.
 */
function serviceAction(service, change, strategy) {
    if (change.what === 'files' && RELOADS.has(service.proxy))
        return { action: 'reload' };
    // Every strategy but recreate runs the new containers beside the old ones (a canary rolls in steps).
    const beside = strategy !== 'recreate';
    if (beside && !service.recreateReason)
        return { action: 'roll' };
    return {
        action: 'recreate',
        ...(beside && service.recreateReason ? { notRolled: service.recreateReason } : {}),
    };
}

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/host-deploy.ts









/** Compose's project directory of releases that mount their files from the stable `live` folder. */
const LIVE = 'live';
/**
 * Runs one phase in the project folder with the release's Compose files, after renewing the deploy lock until the
 * lock's TTL or the phase's own timeout from now, whichever is later: its watchdog stops it by then (TERM, KILL
 * 2 s later), so a run that died does not lose its lock to the next one while its last phase may still run.
 */
async function runInProject(session, release, options, verb, values, label, extra = {}) {
    const timeoutMs = extra.timeoutMs ?? options.commandTimeoutMs;
    const held = options.heldLock;
    const lock = held && {
        handle: held.handle,
        seconds: Math.ceil(Math.max(held.ttlMs, timeoutMs + 5_000) / 1000),
    };
    const context = { place: options.place, timings: options.timings, lock };
    const result = await session.exec(projectScript(context, release, verb, values), {
        label,
        timeoutMs,
        stdin: extra.stdin,
        allowFailure: extra.allowFailure,
    });
    return takeNotices(result, (message) => options.notice(`${session.name}: ${message}`));
}
/** How a phase tells the step something the user should see (reload_proxies: a Caddy it could not reload). */
const NOTICE = 'slipway-notice: ';
/** A phase's NOTICE lines go to `notice`; the rest of its output is what the phase printed. */
function takeNotices(result, notice) {
    if (!result.stdout.includes(NOTICE))
        return result;
    const lines = result.stdout.split('\n').filter((line) => {
        if (!line.startsWith(NOTICE))
            return true;
        notice(line.slice(NOTICE.length));
        return false;
    });
    return { ...result, stdout: lines.join('\n') };
}
/**
 * What differs on the host from what the release asks for, per service (see service-changes.ts), once the
 * release's files are live (LIVE releases) and its images pulled: one command for the three, the pull beside the
 * comparison (pull.sh, hashes.sh, pulled.sh).
 */
async function pullAndCompare(session, release, options) {
    const registry = options.registry;
    const login = { REGISTRY_HOST: registry?.host ?? '', REGISTRY_USER: registry?.username ?? '' };
    const verbs = [
        ...(release.projectDirectory === LIVE ? ['sync-live'] : []),
        'pull',
        'hashes',
    ];
    const { stdout } = await runInProject(session, release, options, verbs, login, 'pulling images and comparing services', {
        stdin: registry?.password,
    });
    const changes = serviceChanges(release, parseHashes(stdout));
    for (const [name, change] of changes) {
        if (change.what === 'config' && change.running)
            options.log(`${session.name}: ${name}: ${change.why}.`);
    }
    return changes;
}
function serviceValues(release, service, options, check) {
    const healthSeconds = Math.ceil(options.timings.healthTimeoutMs / 1000);
    return {
        SERVICE: service.name,
        HTTP_CHECK: service.httpCheck ?? '',
        HEALTH_SECONDS: healthSeconds,
        UPSTREAM_PORTS: (service.upstreamPorts ?? []).join(' '),
        FILES_DIGEST: service.filesDigest ?? '',
        // Without public-url, the ports the project's proxies publish on the host are the entry point checked.
        ENTRY_CHECK: release.services.some((s) => s.proxy) && check,
        ENTRY_SECONDS: healthSeconds,
    };
}
const phaseTimeout = (options) => options.commandTimeoutMs + options.timings.healthTimeoutMs + options.timings.drainMs;
/**
 * Applies one changed service: a proxy whose files alone changed is reloaded in place; a service that can run
 * twice is rolled (new beside old, then the switch, then the old queued to drain and stop after the verdict:
 * roll-up, roll-switch, roll-finish), with the entry point checked before any old container stops, and the switch
 * undone when it fails (roll-undo); anything else is recreated.
 */
async function applyService(session, release, service, change, options, entry) {
    const values = serviceValues(release, service, options, !entry && change.running);
    const timeoutMs = phaseTimeout(options);
    const run = (verb, label, extra = {}) => runInProject(session, release, options, verb, { ...values, ...extra }, label, { timeoutMs });
    const where = `${session.name}: ${service.name}`;
    const decision = serviceAction(service, change, options.strategy);
    if (decision.action === 'reload') {
        options.log(`${where}: its files changed; reloading ${service.proxy} in place.`);
        await run('reload', `reloading ${service.name}`, { KIND: service.proxy ?? '' });
        return;
    }
    if (decision.action === 'recreate') {
        if (decision.notRolled) {
            const gap = service.proxy ? ' The entry point does not answer while it restarts.' : '';
            options.notice(`${where} is recreated, not rolled: ${decision.notRolled}.${gap}`);
        }
        options.log(`${where}: recreating${change.what === 'files' ? ' (its files changed)' : ''}.`);
        await run('recreate', `recreating ${service.name}`, { FORCE: change.what === 'files' });
        // Nothing old is left to go back to here: a failing entry point fails the host, which then goes back.
        if (change.running && service.public)
            await entry?.verify(service.name);
        return;
    }
    if (options.canary && entry && change.running && service.public) {
        const context = { host: session.name, service: service.name, oldCount: change.count, log: options.log };
        await rollCanary({
            ...context,
            run,
            notice: options.notice,
            drainMs: options.timings.drainMs,
            onDrain: options.onDrain,
        }, options.canary);
        return;
    }
    options.log(`${where}: rolling${change.what === 'files' ? ' (its files changed)' : ''}.`);
    await run('roll-up', `rolling ${service.name} (new containers)`);
    const checked = change.running && service.public ? entry : undefined;
    try {
        await checked?.ready(service.name);
        await run('roll-switch', `rolling ${service.name} (the switch)`);
        if (checked) {
            // The old containers are out of the service's DNS name but still answer: a proxy that follows DNS (Caddy,
            // Nginx with a resolver, Envoy) sends them requests until its next lookup. They drain first, so the entry
            // point is judged on the new containers alone; a failing check still finds the old ones running.
            await (options.sleep ?? retry/* sleep */.yy)(options.timings.drainMs);
            await checked.verify(service.name);
        }
    }
    catch (error) {
        options.log(`${where}: undoing the switch; the old containers serve on.`);
        await run('roll-undo', `undoing the roll of ${service.name}`).catch((again) => options.log(`${where}: could not undo the switch (${again.message}).`));
        throw error;
    }
    // The verdict is in: the old containers (out of rotation; with public-url they drained before it) are queued to
    // stop after it, detached on the host under the deploy lock (lock-release.sh hands it to that stop), once drained.
    // The next services roll meanwhile, and the step reports once the drain is over (onDrain).
    const drainMs = await finishRoll(run, `rolling ${service.name} (the old containers are queued to stop once drained)`, { drained: checked !== undefined, drainMs: options.timings.drainMs, onDrain: options.onDrain });
    options.log(`${where}: the old containers are out of rotation${drainMs > 0 ? ` and drain for ${drainMs / 1000} s` : ''}; they stop on the host after this step's verdict, and the deploy lock stays held until they stopped.`);
}
/**
 * Puts one release on one host: its files, its images, then each changed service in dependency order, rolled
 * or recreated, each waited for until healthy. Hooks run only for new releases (`withHooks`), not when going
 * back. Returns the services it changed or removed.
 */
async function applyRelease(session, release, options, withHooks) {
    const { place } = options;
    const phase = (verb, values, label) => runInProject(session, release, options, verb, values, label, { timeoutMs: phaseTimeout(options) });
    // First the previous colour, so that going back to a colour kept running is only a switch (blue-green.ts). The
    // release's files go up meanwhile, on a channel of their own: their folder is new, and nothing reads it yet
    // (only a new release has files to send, and a new release is never the colour kept running).
    const [kept, written] = await Promise.allSettled([
        switchBackIfKept(phase, release, session.name, options.log),
        release.files.length > 0
            ? (0,write_files/* writeFiles */.h)(session, `${place.dir}/releases/${release.id}`, release.files, "writing the release's files")
            : undefined,
    ]);
    if (kept.status === 'rejected')
        throw kept.reason;
    if (written.status === 'rejected')
        throw written.reason;
    const back = kept.value;
    if (back) {
        options.onColours?.({ kind: 'switched-back', services: back });
        return back;
    }
    const changes = await pullAndCompare(session, release, options);
    const changed = [...changes.keys()];
    if (changed.length === 0) {
        options.log(`${session.name}: every service already runs release ${release.id}.`);
        return removeOrphans(session, release, options);
    }
    const pre = withHooks ? options.hooks.preDeploy : undefined;
    if (pre) {
        options.log(`${session.name}: pre-deploy hook in a one-off ${pre.service} container.`);
        const values = { PRE_SERVICE: pre.service, PRE_COMMAND: pre.command };
        const exec = () => runInProject(session, release, options, 'pre-deploy', values, 'the pre-deploy hook', {
            allowFailure: true,
        });
        await preDeployOnHost(session.name, pre, exec, { log: options.log, report: options.onPreDeploy });
    }
    // A release going back (withHooks false) is not the version public-url expects.
    const entry = withHooks ? options.entry : undefined;
    if (options.strategy === 'blue-green') {
        await applyColours({
            release,
            changes,
            options,
            entry,
            phase,
            where: session.name,
            forward: session.forward?.bind(session),
            applyOne: (service, change) => applyService(session, release, service, change, options, entry),
            valuesOf: (service) => serviceValues(release, service, options, false),
        });
    }
    else {
        for (const service of release.services) {
            const change = changes.get(service.name);
            if (change)
                await applyService(session, release, service, change, options, entry);
            // past it: the other hosts' canary of it (if any) no longer waits for this one
            options.canary?.fleet?.leave(service.name);
        }
    }
    if (withHooks && options.hooks.postDeploy) {
        const values = { RELEASE_ID: release.id, POST_COMMAND: options.hooks.postDeploy };
        await runInProject(session, release, options, 'post-deploy', values, 'the post-deploy hook');
    }
    return [...changed, ...(await removeOrphans(session, release, options))];
}
/** Once the release is up: retires services it does not have (see orphansScript), and returns their names. */
async function removeOrphans(session, release, options) {
    const values = { KEEP_SERVICES: release.services.map((s) => s.name).join(' ') };
    const { stdout } = await runInProject(session, release, options, 'orphans', values, 'removing orphan services', {
        timeoutMs: options.commandTimeoutMs + options.timings.drainMs,
    });
    const removed = stdout.split('\n').filter(Boolean);
    if (removed.length > 0) {
        options.log(`${session.name}: removed orphan services (not in release ${release.id}): ${removed.join(', ')}.`);
    }
    return removed;
}
/** Stops and removes the project (a first release that has to be undone has nothing to go back to). */
async function takeDown(session, release, options) {
    await runInProject(session, release, options, 'take-down', {}, 'taking the project down');
}
async function runBackup(session, history, options) {
    if (!options.hooks.backup)
        return undefined;
    const values = { CURRENT_RELEASE: currentRelease(history)?.id ?? '', BACKUP_COMMAND: options.hooks.backup };
    const { stdout } = await runInProject(session, undefined, options, 'backup', values, 'the backup command');
    return stdout.trim().split('\n').at(-1) || undefined;
}

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/release.ts
/** Turns a history entry back into a release that is already on the host (for rollbacks). */
function releaseFromHistory(entry) {
    return {
        id: entry.id,
        composeFiles: entry.composeFiles,
        envFile: entry.envFile,
        projectDirectory: entry.projectDirectory,
        files: [],
        images: entry.images,
        services: entry.services,
        gitSha: entry.gitSha,
        actor: entry.actor,
        runUrl: entry.runUrl,
    };
}
const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/fleet-deploy.ts








function entryFor(release, result, extra = {}) {
    return {
        id: release.id,
        time: new Date().toISOString(),
        gitSha: release.gitSha,
        actor: release.actor,
        runUrl: release.runUrl,
        images: release.images,
        result,
        composeFiles: release.composeFiles,
        envFile: release.envFile,
        ...(release.projectDirectory ? { projectDirectory: release.projectDirectory } : {}),
        services: release.services,
        ...extra,
    };
}
/** Goes back to `previous` (or takes a first release down) with the same machinery as a deploy. */
async function revert(run, options) {
    const { session, release, previous } = run;
    if (!session || !release)
        return;
    if (previous)
        await applyRelease(session, releaseFromHistory(previous), options, false);
    else
        await takeDown(session, release, options);
}
/** A host's deploy options: its project folder, and its lock, which every phase renews. */
function hostOptionsOf(run, options) {
    return {
        ...options,
        place: { dir: options.dir, project: options.project },
        heldLock: run.lock && { handle: run.lock, ttlMs: options.lock.ttlMs },
        ...(run.canary ? { canary: run.canary } : {}),
        previousReleaseId: run.previous?.id,
        onColours: (event) => {
            run.colours = event;
        },
        onPreDeploy: (pre) => {
            run.result.preDeploy = pre;
        },
        onDrain: (ms) => {
            run.drainedAt = Math.max(run.drainedAt ?? 0, Date.now() + ms);
        },
    };
}
async function deployHost(run, session, choose, options) {
    const started = Date.now();
    const result = run.result;
    try {
        run.session = await session();
        const taken = await (0,host_lock/* acquireLock */.IZ)(run.session, {
            ...options.lock,
            dir: options.dir,
            warn: options.warn,
            log: options.log,
        });
        run.lock = taken.lock;
        options.onLock?.(result.host, run.lock);
        run.history = (0,history_file/* parseHistory */.i6)(taken.historyText, run.session.name, options.dir);
        run.previous = currentRelease(run.history);
        const hostOptions = hostOptionsOf(run, options);
        result.previousReleaseId = run.previous?.id;
        const release = choose(run.history, result.host);
        run.release = release;
        if (options.markPreviousBad !== undefined && run.previous && run.previous.id !== release.id) {
            const mark = {
                reason: options.markPreviousBad,
                time: new Date().toISOString(),
                runUrl: options.lock.runUrl,
            };
            markReleaseBad(run.history, run.previous.id, mark);
        }
        result.releaseId = release.id;
        result.images = release.images;
        result.backup = await runBackup(run.session, run.history, hostOptions);
        try {
            result.changed = await applyRelease(run.session, release, hostOptions, release.files.length > 0);
        }
        catch (thrown) {
            const reason = (0,errors/* toError */.iT)(thrown).message;
            run.canary?.fleet?.leave(undefined, reason);
            run.history.push(entryFor(release, 'failed', { reason, backup: result.backup, strategy: options.strategy }));
            let undo = run.previous
                ? `rolled back to ${run.previous.id}`
                : 'was taken down: it had no earlier release, so nothing of this project is left running on it';
            try {
                await revert(run, hostOptions);
            }
            catch (again) {
                const why = (0,errors/* toError */.iT)(again).message;
                undo = run.previous
                    ? `could NOT be rolled back (${why}); check the host`
                    : `had no earlier release; taking this one down failed (${why}): its containers may still be running, check with "docker compose -p ${options.project} ps" on the host`;
            }
            await (0,history_file/* writeHistory */.wn)(run.session, options.dir, run.history).catch(() => undefined);
            throw new Error(`${reason}\n${result.host} ${undo}.`);
        }
        const colours = colourRecord(run.history, options.strategy, run.colours, run.previous?.id, result.changed.length > 0);
        Object.assign(result, { colour: colours.colour, colours: run.colours?.kind });
        run.history.push(entryFor(release, 'deployed', { backup: result.backup, ...colours }));
        run.history = await (0,history_file/* pruneReleases */.Xb)(run.session, options.dir, run.history, options.keepReleases);
        await (0,history_file/* writeHistory */.wn)(run.session, options.dir, run.history);
        // The old containers drained meanwhile (their stop on the host waits for it too): the host is done when they
        // did, so the entry point then serves the new containers alone.
        const draining = (run.drainedAt ?? 0) - Date.now();
        if (draining > 0)
            await (options.sleep ?? retry/* sleep */.yy)(draining);
        result.status = result.changed.length > 0 ? 'deployed' : 'unchanged';
    }
    catch (thrown) {
        result.status = 'failed';
        result.error = (0,errors/* toError */.iT)(thrown).message;
        run.canary?.fleet?.leave(undefined, result.error);
    }
    finally {
        run.canary?.fleet?.leave();
        result.durationMs = Date.now() - started;
    }
}
/** The atomic part: hosts that took the release go back to what they ran before. */
async function revertHost(run, options) {
    const started = Date.now();
    try {
        if (run.previous?.id !== run.release?.id)
            await revert(run, hostOptionsOf(run, options));
        const last = [...run.history].reverse().find((e) => e.id === run.release?.id && e.result === 'deployed');
        if (last)
            last.result = 'rolled-back';
        if (run.session)
            await (0,history_file/* writeHistory */.wn)(run.session, options.dir, run.history);
        run.result.status = 'rolled-back';
    }
    catch (thrown) {
        run.result.status = 'failed';
        run.result.error = `could not be returned to its previous release: ${(0,errors/* toError */.iT)(thrown).message}`;
    }
    finally {
        run.result.durationMs += Date.now() - started;
    }
}
/**
 * THE entry for deploying a release to a fleet (through Fleet.deploy: deploy-compose, and rollback with a choice
 * that picks a previous release). Per host: its session, lock, history, backup, apply, record. A failing host is
 * rolled back at once; with `atomic`, a failure anywhere also returns every updated host. Locks are released
 * before it returns (the sessions belong to the Fleet); it never throws for a host's failure (see each result).
 */
async function deployToFleet(hosts, choose, options) {
    const canaryOf = lockstepCanary(hosts.map((h) => h.name), options);
    const runs = hosts.map((h) => ({
        result: { host: h.name, status: 'skipped', durationMs: 0, images: {}, changed: [] },
        history: [],
        ...(canaryOf ? { canary: canaryOf(h.name) } : {}),
    }));
    let next = 0;
    const failed = () => runs.some((r) => r.result.status === 'failed');
    const worker = async () => {
        while (next < hosts.length) {
            const i = next++;
            if (options.atomic && failed())
                continue;
            await deployHost(runs[i], hosts[i].session, choose, options);
        }
    };
    try {
        await Promise.all(Array.from({ length: Math.max(1, Math.min(options.maxParallel, hosts.length)) }, worker));
        if (options.atomic && failed()) {
            const updated = runs.filter((r) => r.result.status === 'deployed' || r.result.status === 'unchanged');
            for (const run of updated)
                options.log(`${run.result.host}: returning to ${run.previous?.id ?? 'nothing'} (atomic).`);
            await Promise.all(updated.map((run) => revertHost(run, options)));
        }
    }
    finally {
        for (const run of runs) {
            if (run.session && run.lock) {
                await (0,host_lock/* releaseLock */.x_)(run.session, run.lock).then(() => options.onLock?.(run.result.host, undefined), (error) => options.warn(`${run.result.host}: could not release the deploy lock (${(0,errors/* toError */.iT)(error).message}); it expires with its TTL.`));
            }
        }
    }
    return runs.map((r) => r.result);
}

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/fleet.ts






function openFleet(inputs, connect) {
    const names = inputs.hosts.map((host) => (0,ssh_target/* formatSshTarget */.z)(host.target));
    const limit = (0,limiter/* limiter */.T)(inputs.maxParallel);
    const sessions = inputs.hosts.map(() => undefined);
    let closed = false;
    const session = (i) => {
        if (closed)
            return Promise.reject(new Error(`Bug: the fleet's sessions are closed (${names[i]}).`));
        sessions[i] ??= limit(() => connect((0,fleet_inputs/* connectOptions */.jN)(inputs, inputs.hosts[i])));
        return sessions[i];
    };
    return {
        names,
        histories: () => Promise.all(names.map((_, i) => session(i)
            .then((s) => (0,history_file/* readHistory */.Lu)(s, (0,fleet_inputs/* projectFolder */.Kb)(inputs)))
            .catch(errors/* toError */.iT))),
        each: (use) => Promise.all(names.map((_, i) => session(i)
            .then((s) => use(s, i))
            .catch(errors/* toError */.iT))),
        deploy: (choose, options) => deployToFleet(names.map((name, i) => ({ name, session: () => session(i) })), choose, options),
        close() {
            closed = true;
            for (const opened of sessions) {
                opened?.then((s) => s.close(), () => undefined);
            }
        },
    };
}
/** Opens the fleet, hands it to `use`, and closes every session however `use` ends. */
async function withFleet(inputs, connect, use) {
    const fleet = openFleet(inputs, connect);
    try {
        return await use(fleet);
    }
    finally {
        fleet.close();
    }
}

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/host-digest-guard.ts


/**
 * Refuses, before any host changes, a digest that a rollback marked bad in a host's own release history (the
 * record that works without GitHub API access); with `force`, warns instead. A history that could not be read
 * is left to the deploy, which reads it again and reports it.
 */
function refuseHostBadDigests(names, histories, digests, force, warn) {
    for (const digest of digests) {
        for (const [i, history] of histories.entries()) {
            if (history instanceof Error)
                continue;
            const bad = hostBadDigest(history, digest);
            if (!bad)
                continue;
            const where = `a rollback away from release ${bad.releaseId} on ${names[i]} at ${bad.mark.time}`;
            refuseBadDigest(digest, where, bad.mark.reason, force, warn);
            break;
        }
    }
}

// EXTERNAL MODULE: ../../node_modules/yaml/dist/index.js
var dist = __webpack_require__(33483);
;// CONCATENATED MODULE: ./src/compose-references.ts


/** A local path relative to the Compose file: not absolute, not `~`, no `${VAR}` we cannot know. */
const isRelative = (path) => typeof path === 'string' && path !== '' && !/^[/~]/.test(path) && !path.includes('$');
/** env_file entries, `file:` of configs and secrets, and bind-mount sources (`./x`, `../x`) of one Compose file. */
function localReferences(compose, file) {
    const doc = compose;
    const refs = [];
    for (const [name, service] of Object.entries(doc.services ?? {})) {
        const where = `${file} (service ${name})`;
        const envFiles = service?.env_file;
        for (const entry of Array.isArray(envFiles) ? envFiles : envFiles === undefined ? [] : [envFiles]) {
            const path = typeof entry === 'object' && entry ? entry.path : entry;
            const optional = typeof entry === 'object' && entry && entry.required === false;
            if (isRelative(path))
                refs.push({ kind: 'env_file', where, path, ...(optional ? { optional } : {}) });
        }
        for (const volume of Array.isArray(service?.volumes) ? service.volumes : []) {
            const source = typeof volume === 'string'
                ? volume.split(':')[0]
                : volume?.type === 'bind'
                    ? volume.source
                    : undefined;
            if (isRelative(source) && source.startsWith('.'))
                refs.push({ kind: 'bind mount', where, path: source });
        }
    }
    for (const kind of ['configs', 'secrets']) {
        for (const [name, spec] of Object.entries(doc[kind] ?? {})) {
            if (isRelative(spec?.file))
                refs.push({ kind, where: `${file} (${kind}.${name})`, path: spec.file });
        }
    }
    return refs;
}
/** `./conf/../app.env` -> `app.env`; `.` for the folder itself; undefined when it leaves the folder. */
function normalizeReference(path) {
    const normal = external_node_path_.posix.normalize(path).replace(/\/+$/, '');
    return normal === '..' || normal.startsWith('../') ? undefined : normal || '.';
}
/**
 * Checks that every reference resolves among the uploaded files (paths relative to the first Compose file's
 * folder). A missing env_file, config or secret file is an error: Compose would fail on every host. A bind
 * mount may mean a folder the host has on its own, so an uncovered one is only a warning. Returns the uploaded
 * paths that hold secrets (mode 0600): env files, the `file:` of `secrets:` (a folder: everything in it).
 */
function checkReferences(refs, uploaded, warn) {
    const secret = new Set();
    for (const ref of refs) {
        const rel = normalizeReference(ref.path);
        const inside = rel === undefined ? [] : uploaded.filter((u) => isWithin(u, rel));
        const covered = inside.length > 0;
        if (ref.kind === 'env_file' || ref.kind === 'secrets')
            for (const u of inside)
                secret.add(u);
        if (covered || ref.optional)
            continue;
        const problem = rel === undefined
            ? `is outside the first Compose file's folder, so it cannot be uploaded next to it; move it inside and list it in "files"`
            : `is not uploaded: list ${JSON.stringify(rel)} (or a folder holding it) in the "files" input, relative to the first Compose file's folder`;
        const message = `${ref.where}: the ${ref.kind} ${JSON.stringify(ref.path)} ${problem}.`;
        if (ref.kind === 'bind mount') {
            warn(`${message} Compose resolves it inside each release's folder on the hosts, where it will not exist.`);
        }
        else {
            throw new errors/* InputError */.dz('files', `Input "files": ${message}`);
        }
    }
    return secret;
}
/** Whether the uploaded `path` is `rel` or inside the folder `rel` (`.` is the whole folder). */
function isWithin(path, rel) {
    return rel === '.' || path === rel || path.startsWith(`${rel}/`);
}

// EXTERNAL MODULE: ./src/inputs.ts + 7 modules
var src_inputs = __webpack_require__(2843);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/proxy-plan.ts


const PROXY_IMAGE = /(?:^|\/)(nginx|openresty|haproxy|caddy|traefik|envoy)[^/:@]*(?:[:@]|$)/;
const KINDS = {
    nginx: 'nginx',
    openresty: 'nginx',
    haproxy: 'haproxy',
    caddy: 'caddy',
    traefik: 'traefik',
    envoy: 'envoy',
};
/** The proxy kind an image name says (`nginx:1.27`, `ghcr.io/acme/edge-haproxy@sha256:…`), if any. */
function proxyKindOf(image) {
    const match = image ? PROXY_IMAGE.exec(image.toLowerCase()) : null;
    return match ? KINDS[match[1]] : undefined;
}
const names = (list) => Array.isArray(list)
    ? list.map((e) => (typeof e === 'string' ? e : (e?.source ?? ''))).filter(Boolean)
    : list && typeof list === 'object'
        ? Object.keys(list)
        : [];
const labelText = (labels) => Array.isArray(labels) ? labels.join('\n') : labels ? Object.keys(labels).join('\n') : '';
/**
 * A digest per service of the release files it mounts (bind mounts and env files of the service, files of the
 * configs and secrets it uses), by path, mode and content: a proxy whose Caddyfile did not change keeps the
 * same digest from release to release, one whose did gets a new one. Services that mount nothing of the release
 * have none.
 */
function proxy_plan_filesDigests(services, refs, files) {
    const digests = new Map();
    for (const [name, spec] of services) {
        const used = new Set([
            `(service ${name})`,
            ...names(spec.configs).map((c) => `(configs.${c})`),
            ...names(spec.secrets).map((s) => `(secrets.${s})`),
        ]);
        const paths = refs
            .filter((ref) => [...used].some((u) => ref.where.endsWith(u)))
            .map((ref) => normalizeReference(ref.path))
            .filter((rel) => rel !== undefined);
        const mounted = files
            .filter((file) => paths.some((rel) => isWithin(file.name, rel)))
            .sort((a, b) => a.name.localeCompare(b.name));
        if (mounted.length === 0)
            continue;
        const hash = (0,external_node_crypto_.createHash)('sha256');
        for (const file of mounted) {
            const content = (0,external_node_crypto_.createHash)('sha256').update(file.content).digest('hex');
            hash.update(`${file.name}\0${file.mode.toString(8)}\0${content}\n`);
        }
        digests.set(name, `sha256:${hash.digest('hex')}`);
    }
    return digests;
}
/**
 * The project's reverse proxies (named in `proxy-service`, or known by their image) and the services behind
 * them: those a proxy depends on, names in its mounted files (`web:8080`, Caddy's `dynamic a web 8080`), or
 * services with Traefik labels; and the ports the proxies send each one requests on. `pooled`: the Caddy proxies
 * that name a service as `web:8080`, whose kept-alive connections are pooled by that name (so they outlive a
 * container leaving it: reload_proxies reloads them then); with `dynamic a web 8080` they are pooled by address.
 * Without a proxy, the last service to start (the one depending on the others) is taken as the public one.
 */
function proxyPlan(services, order, images, proxyServices, mountedText) {
    const proxies = new Map();
    for (const [name, spec] of services) {
        const kind = proxyKindOf(images[name] ?? spec.image);
        if (proxyServices.includes(name))
            proxies.set(name, kind ?? 'other');
        else if (proxyServices.length === 0 && kind)
            proxies.set(name, kind);
    }
    const behind = new Set();
    const ports = new Map();
    const pooled = new Set();
    for (const [proxy, kind] of proxies) {
        const spec = services.get(proxy) ?? {};
        // its configuration without comments (`#` at a line's start or after a blank, in all four): a comment that
        // names `web:8080` neither routes to web nor makes a `dynamic a` Caddy look pooled by name
        const text = mountedText(proxy).replace(/(^|\s)#.*$/gm, '$1');
        for (const name of services.keys()) {
            if (proxies.has(name))
                continue;
            const escaped = name.replace(/[.]/g, '\\.');
            // `web:8080` (Nginx, HAProxy, Caddy), or Caddy's dynamic upstreams: `dynamic a web 8080`
            const byName = [...text.matchAll(new RegExp(`(?:^|[^A-Za-z0-9_.-])${escaped}:(\\d{1,5})\\b`, 'g'))];
            const upstreams = [
                ...byName,
                ...text.matchAll(new RegExp(`dynamic\\s+a\\s+${escaped}\\s+(\\d{1,5})\\b`, 'g')),
            ].map((m) => Number(m[1]));
            if (kind === 'caddy' && byName.length > 0)
                pooled.add(proxy);
            // `name web` inside a `dynamic a { }` block names the service without its port
            const named = new RegExp(`(^|\\s)(dynamic\\s+(a|srv)|name)\\s+${escaped}(\\s|$)`, 'm').test(text);
            if (names(spec.depends_on).includes(name) || upstreams.length > 0 || named)
                behind.add(name);
            for (const port of upstreams)
                ports.set(name, (ports.get(name) ?? new Set()).add(port));
        }
    }
    for (const [name, spec] of services)
        if (/^traefik\./m.test(labelText(spec.labels)))
            behind.add(name);
    if (proxies.size === 0 && order.length > 0)
        behind.add(order[order.length - 1]);
    return { proxies, public: behind, ports, pooled };
}

;// CONCATENATED MODULE: ./src/compose-files.ts





const DIGEST_REF = /^[A-Za-z0-9][A-Za-z0-9._/:-]*@sha256:[0-9a-f]{64}$/;
function servicesOf(file, refs) {
    let doc;
    try {
        doc = (0,dist.parse)(file.content);
    }
    catch (error) {
        throw new errors/* InputError */.dz('compose-file', `${file.path} is not valid YAML: ${error.message.split('\n')[0]}`);
    }
    if (!doc || typeof doc.services !== 'object') {
        throw new errors/* InputError */.dz('compose-file', `${file.path} has no "services:" section; give a Compose file (compose-file).`);
    }
    refs.push(...localReferences(doc, file.path));
    return doc.services;
}
/** A published HOST port (`8080:80`, `{published: 8080}`) binds one container only; `"80"` alone does not. */
function publishesHostPort(ports) {
    return (ports ?? []).some((p) => typeof p === 'object' ? p.published !== undefined : String(p).includes(':'));
}
/** Services in dependency order (dependencies first); a cycle is the user's mistake. */
function dependencyOrder(services) {
    const order = [];
    const state = new Map();
    const visit = (name, path) => {
        if (state.get(name) === 'done')
            return;
        if (state.get(name) === 'visiting') {
            throw new errors/* InputError */.dz('compose-file', `The services depend on each other in a cycle: ${[...path, name].join(' -> ')}.`);
        }
        state.set(name, 'visiting');
        const deps = services.get(name)?.depends_on;
        for (const dep of Array.isArray(deps) ? deps : Object.keys(deps ?? {}))
            if (services.has(dep))
                visit(dep, [...path, name]);
        state.set(name, 'done');
        order.push(name);
    };
    for (const name of services.keys())
        visit(name, []);
    return order;
}
/**
 * The variable the env file defines first as a lone `$`, for the values that hold one. Compose v1 (python-dotenv)
 * expands `${NAME}` and `${NAME:-x}` in every value, quoted or not, and has no escape for `$`; v2 expands `$NAME`
 * too, except in single quotes. In double quotes both expand `${SLIPWAY_DOLLAR}` from the line above and read
 * the same escapes (`\\`, `\"`, `\n`, `\r`), so a value written this way reaches the container byte for byte
 * under either.
 */
const DOLLAR_VARIABLE = 'SLIPWAY_DOLLAR';
/** One line of the env file: the value double-quoted, `$` and what the quotes make special escaped (see above). */
function envLine([key, value]) {
    if (key === DOLLAR_VARIABLE) {
        throw new errors/* InputError */.dz('env', `Input "env": ${DOLLAR_VARIABLE} is a name Slipway uses in the env file; rename it.`);
    }
    if (value.includes('\0')) {
        throw new errors/* InputError */.dz('env', `Input "env": the value of ${key} contains a NUL byte, which no environment can carry.`);
    }
    const escaped = value.replace(/[\\"\n\r$]/g, (c) => c === '$' ? `\${${DOLLAR_VARIABLE}}` : c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\${c}`);
    return `${key}="${escaped}"`;
}
/** The env file's text: the `$` variable first when a value needs it, then one line per `env` entry. */
function envFileText(env) {
    const lines = env.map(envLine);
    if (env.some(([, value]) => value.includes('$')))
        lines.unshift(`${DOLLAR_VARIABLE}='$'`);
    return `${lines.join('\n')}\n`;
}
/** Checks the Compose files and inputs and builds the release: its files, services in order and pinned images. */
function buildRelease(source) {
    const services = new Map();
    const files = [];
    const refs = [];
    source.composeFiles.forEach((file, i) => {
        for (const [name, spec] of Object.entries(servicesOf(file, refs))) {
            if (!src_inputs/* SERVICE_NAME */.OX.test(name)) {
                throw new errors/* InputError */.dz('compose-file', `${file.path}: the service name ${JSON.stringify(name)} may contain only letters, digits, ".", "_" and "-".`);
            }
            services.set(name, { ...services.get(name), ...(spec ?? {}) });
        }
        files.push({ name: `compose-${i}.yml`, content: file.content, mode: 0o644 });
    });
    const images = {};
    for (const [service, ref] of source.images) {
        if (!services.has(service)) {
            throw new errors/* InputError */.dz('images', `Input "images" names the service ${JSON.stringify(service)}, which is not in the Compose files (${[...services.keys()].join(', ')}).`);
        }
        if (!DIGEST_REF.test(ref)) {
            throw new errors/* InputError */.dz('images', `Input "images": ${service} must be pinned by digest (repo@sha256:<64 hex>); got ${JSON.stringify(ref)}.`);
        }
        images[service] = ref;
    }
    const composeFiles = files.map((f) => f.name);
    if (Object.keys(images).length > 0) {
        const override = {
            services: Object.fromEntries(Object.entries(images).map(([s, image]) => [s, { image }])),
        };
        files.push({
            name: 'images.override.yml',
            content: `# Written by Slipway: the images built for this release, by digest.\n${(0,dist.stringify)(override)}`,
            mode: 0o644,
        });
        composeFiles.push('images.override.yml');
    }
    const envFile = source.env.length > 0 ? 'release.env' : undefined;
    if (envFile)
        files.push({ name: envFile, content: envFileText(source.env), mode: 0o600 });
    const uploaded = source.files.map((f) => f.path);
    const secretFiles = checkReferences(refs, uploaded, source.warn);
    for (const marked of source.secretFiles ?? []) {
        const rel = normalizeReference(marked);
        const inside = rel === undefined ? [] : uploaded.filter((u) => isWithin(u, rel));
        if (inside.length === 0) {
            throw new errors/* InputError */.dz('secret-files', `Input "secret-files": ${JSON.stringify(marked)} is none of the files uploaded by "files" (paths relative to the first Compose file's folder, as in "files").`);
        }
        for (const u of inside)
            secretFiles.add(u);
    }
    for (const file of source.files) {
        if (/^(compose-\d+\.yml|images\.override\.yml|release\.env)$/.test(file.path)) {
            throw new errors/* InputError */.dz('files', `Input "files": ${file.path} has the name of a file Slipway writes into the release folder; rename it.`);
        }
        files.push({ name: file.path, content: file.content, mode: secretFiles.has(file.path) ? 0o600 : 0o644 });
    }
    const checks = new Map(source.httpChecks);
    for (const [service, path] of checks) {
        if (!services.has(service))
            throw new errors/* InputError */.dz('health-checks', `Input "health-checks" names ${JSON.stringify(service)}, which is not a service of the Compose files.`);
        if (!/^:\d{1,5}\/[A-Za-z0-9._~/?=&%-]*$/.test(path)) {
            throw new errors/* InputError */.dz('health-checks', `Input "health-checks": ${service} needs :port/path, e.g. ${service}=:8080/health; got ${JSON.stringify(path)}.`);
        }
    }
    for (const name of source.proxyServices ?? []) {
        if (!services.has(name)) {
            throw new errors/* InputError */.dz('proxy-service', `Input "proxy-service" names ${JSON.stringify(name)}, which is not a service of the Compose files (${[...services.keys()].join(', ')}).`);
        }
    }
    const order = dependencyOrder(services);
    const digests = proxy_plan_filesDigests(services, refs, files);
    const mountedText = (service) => files
        .filter((f) => refs.some((r) => r.where.endsWith(`(service ${service})`) && isWithin(f.name, normalizeReference(r.path) ?? '\0')))
        .map((f) => f.content.toString())
        .join('\n');
    const edge = proxyPlan(services, order, images, source.proxyServices ?? [], mountedText);
    const plans = order.map((name) => {
        const spec = services.get(name) ?? {};
        const recreateReason = spec.container_name
            ? `it has a fixed container_name (${spec.container_name}), so two cannot run at once`
            : publishesHostPort(spec.ports)
                ? 'it publishes a host port, which only one container can bind'
                : undefined;
        const proxy = edge.proxies.get(name);
        const filesDigest = digests.get(name);
        return {
            name,
            ...(recreateReason ? { recreateReason } : {}),
            ...(checks.has(name) ? { httpCheck: checks.get(name) } : {}),
            ...(proxy ? { proxy } : {}),
            ...(edge.pooled.has(name) ? { pooledByName: true } : {}),
            ...(edge.public.has(name) ? { public: true } : {}),
            ...(edge.ports.has(name)
                ? { upstreamPorts: [...(edge.ports.get(name) ?? [])].sort((a, b) => a - b) }
                : {}),
            ...(filesDigest ? { filesDigest } : {}),
        };
    });
    const { id, gitSha, actor, runUrl } = source;
    // Compose runs in `live`, which holds this release's files once it is applied: what the Compose files name
    // relative to themselves is found there, at the same path in every release (see sync-live.sh).
    const projectDirectory = LIVE;
    return {
        id,
        composeFiles,
        envFile,
        projectDirectory,
        files,
        images,
        services: plans,
        gitSha,
        actor,
        runUrl,
    };
}

;// CONCATENATED MODULE: ./src/local-files.ts


const nodeFs = { readTree: (path, options) => (0,workspace_files/* readWorkspaceTree */.CZ)('files', path, options) };
const HOW = 'Give paths relative to the folder of the first Compose file, inside it (files or folders).';
/** A path of the input or of a Compose reference, as a POSIX path relative to `baseDir`; undefined if outside. */
function insideBase(baseDir, path) {
    const rel = (0,external_node_path_.relative)(baseDir, (0,external_node_path_.resolve)(baseDir, path));
    if (rel === '' || rel === '..' || rel.startsWith(`..${external_node_path_.sep}`) || (0,external_node_path_.isAbsolute)(rel))
        return undefined;
    return rel.split(external_node_path_.sep).join(external_node_path_.posix.sep);
}
/**
 * Reads every file the `files` input names (folders recursively) with its path relative to `baseDir`, the
 * layout it keeps in each release folder. Links are followed only while they stay inside the workspace, the
 * runner's temp folder or `baseDir`; devices, pipes and sockets are refused; all files together are capped
 * (the shared reader's rules, `readWorkspaceTree`).
 */
function collectFiles(entries, baseDir, fs = nodeFs) {
    const found = new Map();
    let total = 0;
    for (const entry of entries) {
        const rel = (0,external_node_path_.isAbsolute)(entry) ? undefined : insideBase(baseDir, entry);
        if (!rel) {
            throw new errors/* InputError */.dz('files', `Input "files": ${JSON.stringify(entry)} is outside ${baseDir}. ${HOW}`);
        }
        // The Compose files' folder is read from even when it is outside the workspace: compose-file named it.
        for (const file of fs.readTree(rel, {
            base: baseDir,
            roots: [baseDir],
            maxTotalBytes: workspace_files/* MAX_TREE_BYTES */.yN - total,
        })) {
            const path = file.path ? `${rel}/${file.path}` : rel;
            if (!found.has(path))
                total += file.content.length;
            found.set(path, { path, content: file.content });
        }
    }
    return [...found.values()];
}

;// CONCATENATED MODULE: ./src/deploy.ts




function releaseId(now, sha) {
    return `${now
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')}-${sha.slice(0, 7) || 'nosha'}`;
}
/** The fleet options from the inputs, with deploy-compose's hooks and atomic setting. */
function deployOptions(inputs, env, runUrl) {
    return {
        ...(0,fleet_inputs/* fleetOptions */.Lk)(inputs, env, runUrl),
        hooks: {
            preDeploy: inputs.preDeploy
                ? { service: inputs.preDeployService ?? inputs.images[0]?.[0] ?? '', command: inputs.preDeploy }
                : undefined,
            postDeploy: inputs.postDeploy,
            backup: inputs.backup,
        },
        atomic: inputs.atomic,
        ...(inputs.strategy === 'blue-green' ? { blueGreen: { keepPreviousMs: inputs.keepPreviousMs } } : {}),
    };
}
/**
 * A canary step's judge: the entry point's answers of the new version, and with `analysis` its metrics too, over
 * the step's interval, with `{{ release }}` the release being canaried (as smoke-test's analysis has it).
 */
function canaryJudge(entry, metrics, io, releaseId) {
    const answers = entryCanaryJudge(entry, { log: io.info });
    if (!metrics)
        return answers;
    return joinCanaryAnalyses(answers, inputsCanaryAnalysis(metrics, { log: io.info }, { release: releaseId }));
}
/**
 * The entry point's checks, when public-url is given: logged through the runner; with strategy blue-green, the
 * same assertions on the new containers directly before the switch; with strategy canary, its judge of each step
 * (the hook other gates can join: joinCanaryAnalyses), each step's outcome kept in `steps`.
 */
function withEntry(options, inputs, io, steps, releaseId) {
    if (!inputs.entry)
        return options;
    const entry = entryChecks(inputs.entry, io.info);
    const preSwitch = inputs.strategy === 'blue-green' ? preSwitchCheck(inputs.entry, io.info) : undefined;
    const canary = inputs.canary && {
        ...inputs.canary,
        analysis: canaryJudge(inputs.entry, inputs.canary.metrics, io, releaseId),
        onStep: (report) => steps.push(report),
    };
    return { ...options, entry: preSwitch ? { ...entry, preSwitch } : entry, ...(canary ? { canary } : {}) };
}
/** Reads the Compose files and `files`, and builds the release. Refuses bad input; contacts nothing. */
function planDeploy(inputs, deps) {
    const { env } = deps;
    const sha = env.GITHUB_SHA ?? '';
    const runUrl = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
    const release = buildRelease({
        id: releaseId(deps.now(), sha),
        composeFiles: inputs.composeFiles.map((path) => {
            try {
                return { path, content: deps.readFile(path) };
            }
            catch (error) {
                if (error instanceof errors/* UserError */.yo)
                    throw error;
                throw new errors/* UserError */.yo(`Input "compose-file": cannot read ${path} (${error.message}). Paths are relative to the workspace.`);
            }
        }),
        files: collectFiles(inputs.files, (0,external_node_path_.dirname)((0,external_node_path_.resolve)(inputs.composeFiles[0])), deps.fs),
        secretFiles: inputs.secretFiles,
        env: inputs.env,
        images: inputs.images,
        httpChecks: inputs.healthChecks,
        proxyServices: inputs.proxyServices,
        gitSha: sha,
        actor: env.GITHUB_ACTOR ?? 'unknown',
        runUrl,
        warn: deps.io.warning,
    });
    const canarySteps = [];
    // The fleet's progress (each host's phases, each canary step) goes through the runner's io, as the rest.
    const base = { ...deployOptions(inputs, env, runUrl), log: deps.io.info };
    const options = withEntry(base, inputs, deps.io, canarySteps, release.id);
    const pre = options.hooks.preDeploy;
    if (pre && !release.services.some((s) => s.name === pre.service)) {
        throw new errors/* UserError */.yo('Input "pre-deploy-command" needs a service to run in: set "pre-deploy-service" to a service of the Compose files (or list one in "images").');
    }
    const traefik = release.services.find((s) => s.proxy === 'traefik');
    if (inputs.strategy === 'blue-green' && traefik) {
        // Traefik's Docker provider routes by address to every running, healthy container with the labels: a colour
        // out of the service's DNS name is still in its rotation, and only leaves it when it stops.
        throw new errors/* InputError */.dz('strategy', `Input "strategy": blue-green keeps the previous colour running out of rotation, but ${traefik.name} is Traefik, whose Docker provider sends requests to every running, healthy container with the service's labels, so the previous colour would go on answering. Behind Traefik use "rolling" or "canary" (a container leaves Traefik's rotation when it stops).`);
    }
    const pooled = release.services.find((s) => s.pooledByName);
    if (inputs.strategy === 'canary' && pooled) {
        // one upstream, a few kept-alive connections each to one container: behind it, a step's share was 0%, 8% or
        // 100% where 33% was set (canary.test.ts)
        throw new errors/* InputError */.dz('strategy', `Input "strategy": a canary needs its proxy to spread requests over the service's containers, but ${pooled.name} is Caddy naming the service as host:port (\`reverse_proxy web:8080\`), which sends them over a few kept-alive connections, each to one container: the canary's share would be anything from 0% to 100%. Name it with \`dynamic a web 8080\` in the Caddyfile (Caddy then spreads requests over its addresses), or use "rolling" or "blue-green".`);
    }
    const digests = inputs.images.map(([, image]) => release_history_imageDigest(image)).filter((d) => d !== undefined);
    return { release, options, digests, sha, canarySteps };
}
/**
 * The deploy: a digest a rollback marked bad (in the deployment records, or in a host's own history) is refused
 * before any host is touched; then the GitHub Deployment, the fleet deploy, and the record's outcome. Each host
 * is connected once and every session closed however it ends; each lock taken is saved for the post step.
 */
async function deployCompose(plan, inputs, deps) {
    const { release, options, digests } = plan;
    const recorder = createDeploymentRecorder({ ...inputs.recording, sha: plan.sha }, { records: deps.records(inputs.githubToken), notice: deps.io.notice, warning: deps.io.warning });
    await recorder.guard(digests);
    const locks = {};
    options.onLock = (host, lock) => {
        if (lock)
            locks[host] = lock;
        else
            delete locks[host];
        deps.state.save('locks', locks);
    };
    return withFleet(inputs, deps.connect, async (fleet) => {
        if (digests.length > 0) {
            refuseHostBadDigests(fleet.names, await fleet.histories(), digests, inputs.recording.force, options.warn);
        }
        deps.io.info(`Deploying release ${release.id} of ${inputs.project} to ${fleet.names.length} host(s) (${inputs.strategy}).`);
        await recorder.begin({
            target: 'compose',
            images: Object.fromEntries(inputs.images),
            releaseId: release.id,
            strategy: inputs.strategy,
            ...(inputs.strategy === 'blue-green' ? { keepPrevious: inputs.keepPreviousMs / 1000 } : {}),
            ...(inputs.migration ? { migration: inputs.migration } : {}),
        }, `${inputs.project} ${release.id} to ${fleet.names.length} host(s)`);
        const results = await fleet
            .deploy(() => release, options)
            .catch(async (error) => {
            await recorder.end('error', { description: String(error?.message ?? error) });
            throw error;
        });
        const failed = results.filter((r) => r.status === 'failed').map((r) => r.host);
        await recorder.end(failed.length ? 'failure' : 'success', {
            description: `${release.id}: ${failed.length ? `failed on ${failed.join(', ')}` : 'deployed'}`,
        });
        return results;
    });
}

;// CONCATENATED MODULE: ../../packages/shared/src/remote/tar-archive.ts
/**
 * A POSIX ustar archive of flat files (names of up to 100 bytes, no folders), for `tar -x -f -` on a host: the
 * dry run sends a release's Compose files on standard input, never on the command line (its length is limited).
 */
function tarArchive(files) {
    const blocks = [];
    for (const file of files) {
        const data = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'utf8');
        if (Buffer.byteLength(file.name) > 100 || file.name.includes('/')) {
            throw new Error(`Bug: ${file.name} is not a flat file name for the archive.`);
        }
        const header = Buffer.alloc(512);
        const field = (offset, length, text) => header.write(text, offset, length, 'utf8');
        const octal = (offset, length, value) => field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
        field(0, 100, file.name);
        octal(100, 8, file.mode & 0o777);
        octal(108, 8, 0);
        octal(116, 8, 0);
        octal(124, 12, data.length);
        octal(136, 12, 0);
        field(148, 8, '        ');
        field(156, 1, '0');
        field(257, 6, 'ustar\0');
        field(263, 2, '00');
        let sum = 0;
        for (const byte of header)
            sum += byte;
        field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
        blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
    blocks.push(Buffer.alloc(1024));
    return Buffer.concat(blocks);
}

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/host-plan.ts




/**
 * What a deploy of `release` would do on one host, by the deploy's own rules (service-changes.ts), read without
 * writing anything there: one command that hashes the release's Compose files (sent on standard input, unpacked
 * into the command's private temporary folder) beside what runs now. No lock, no release folder, no pull.
 */
async function planHost(session, release, history, options) {
    const composeFiles = new Set([...release.composeFiles, ...(release.envFile ? [release.envFile] : [])]);
    const archive = tarArchive(release.files.filter((f) => composeFiles.has(f.name)));
    const context = { place: options.place, timings: options.timings };
    const { stdout } = await session.exec(planHashesScript(context, release), {
        label: 'comparing services (dry run)',
        stdin: archive,
        timeoutMs: options.commandTimeoutMs,
    });
    const hashes = parseHashes(stdout);
    const changes = serviceChanges(release, hashes);
    const services = release.services.map((service) => {
        const change = changes.get(service.name);
        if (!change) {
            return { service: service.name, action: 'stay', why: 'its configuration and files are what runs now' };
        }
        const decision = serviceAction(service, change, options.strategy);
        const how = decision.action === 'reload'
            ? `${service.proxy} re-reads its configuration in place`
            : decision.notRolled
                ? `recreated, not rolled: ${decision.notRolled}`
                : '';
        return {
            service: service.name,
            action: change.running ? decision.action : 'start',
            why: how ? `${change.why}; ${how}` : change.why,
        };
    });
    const names = new Set(release.services.map((s) => s.name));
    const lock = stdout
        .split('\n')
        .filter((line) => /^lock (owner|run)=/.test(line))
        .map((line) => line.slice(5));
    return {
        host: session.name,
        current: currentRelease(history)?.id,
        services,
        removed: [...hashes.have.keys()].filter((name) => !names.has(name)).sort(),
        ...(lock.length ? { lockedBy: lock.join(', ') } : {}),
    };
}

;// CONCATENATED MODULE: ./src/plan.ts

/**
 * The dry run: everything a deploy checks before its first change (inputs, credentials, host keys, the bad-digest
 * guards over the deployment records and each host's history), then per host what the deploy would do, read
 * with the deploy's own rules. No lock is taken, no GitHub Deployment made, nothing written on any host.
 */
async function planCompose(plan, inputs, deps) {
    const { release, options, digests } = plan;
    const recorder = createDeploymentRecorder({ ...inputs.recording, sha: plan.sha }, { records: deps.records(inputs.githubToken), notice: deps.io.notice, warning: deps.io.warning });
    await recorder.guard(digests);
    const hosts = await withFleet(inputs, deps.connect, async (fleet) => {
        const histories = await fleet.histories();
        if (digests.length > 0) {
            refuseHostBadDigests(fleet.names, histories, digests, inputs.recording.force, options.warn);
        }
        const place = { dir: options.dir, project: options.project };
        const planned = await fleet.each((session, i) => {
            const history = histories[i];
            if (history instanceof Error)
                throw history;
            return planHost(session, release, history, { ...options, place });
        });
        return planned.map((p, i) => (p instanceof Error ? { host: fleet.names[i], error: p.message } : p));
    });
    const proxies = release.services.filter((s) => s.proxy);
    return {
        target: 'compose',
        project: inputs.project,
        release: release.id,
        strategy: inputs.strategy,
        images: release.images,
        proxy: {
            services: proxies.map((s) => `${s.name} (${s.proxy})`),
            behind: release.services.filter((s) => s.public).map((s) => s.name),
            entry: inputs.entry
                ? `public-url: ${inputs.entry.checks.map((c) => `${c.url.origin}${c.url.pathname}`).join(', ')}`
                : proxies.length
                    ? "the ports the project's proxies publish on each host"
                    : 'none: no proxy in the project, each service is judged by its own health',
        },
        hosts,
        changes: hosts.some((h) => 'error' in h || h.removed.length > 0 || h.services.some((s) => s.action !== 'stay')),
    };
}
/** The job summary of a dry run. */
function renderComposePlan(plan) {
    const lines = [
        `### deploy-compose plan: ${plan.project} ${plan.release} (dry run: nothing changed)`,
        '',
        `Strategy \`${plan.strategy}\`. Proxies: ${plan.proxy.services.join(', ') || 'none'}` +
            (plan.proxy.behind.length ? `, in front of ${plan.proxy.behind.join(', ')}` : '') +
            `. Each switch is judged at ${plan.proxy.entry}.`,
        '',
    ];
    for (const host of plan.hosts) {
        if ('error' in host) {
            lines.push(`#### ${host.host}`, '', `Could not be planned: ${host.error}`, '');
            continue;
        }
        const rows = host.services.map((s) => [s.service, s.action, s.why]);
        for (const name of host.removed)
            rows.push([name, 'remove', 'runs on the host but is not in the release']);
        lines.push(`#### ${host.host} (now ${host.current ?? 'nothing deployed'})`, '', ...(host.lockedBy
            ? [`The deploy lock is held (${host.lockedBy}): a deploy would wait for it.`, '']
            : []), markdownTable(['service', 'action', 'why'], rows), '');
    }
    return lines.join('\n');
}
/** The outputs and job summary of a dry run; a host that could not be planned fails the step, naming it. */
async function reportPlan(plan, deps) {
    const markdown = renderComposePlan(plan);
    deps.io.setOutput('plan', JSON.stringify(plan));
    deps.io.setOutput('plan-markdown', markdown);
    await appendSummary(markdown);
    const failed = plan.hosts.filter((h) => 'error' in h);
    if (failed.length > 0) {
        throw new errors/* UserError */.yo(`The plan could not be made for ${failed.map((h) => h.host).join(', ')}:\n${failed.map((h) => `- ${h.host}: ${'error' in h ? h.error : ''}`).join('\n')}`);
    }
    deps.io.info(plan.changes ? 'Dry run: the deploy would change the hosts above.' : 'Dry run: nothing would change.');
}

;// CONCATENATED MODULE: ../../packages/shared/src/pre-deploy-summary.ts



const ICONS = { succeeded: '✅', failed: '❌', 'timed-out': '⏱️' };
/**
 * The summary's section for one pre-deploy run: the command, where, how long, the exit code (and stop reason),
 * and its last lines in a code block. Secrets and URL passwords are masked in the command and the lines.
 */
function preDeploySection(run) {
    const lines = [
        '',
        `### ${ICONS[run.status]} ${run.title}: ${run.status}`,
        '',
        `\`${(0,src_secrets/* redactText */.Rd)(run.command)}\` ${run.where}, ${(0,duration/* formatDuration */.a3)(run.durationMs)}; exit code ${run.exitCode ?? 'none'}` +
            `${run.stop ? `, ${run.stop}` : ''}.`,
    ];
    if (run.status !== 'succeeded' && run.failed)
        lines.push('', run.failed);
    if (run.lastLines === undefined) {
        if (run.noLines)
            lines.push('', run.noLines);
        return lines;
    }
    const body = run.lastLines.length
        ? run.lastLines.map((l) => (0,src_secrets/* redactText */.Rd)(l).replace(/```/g, "'''")).join('\n')
        : '(no output)';
    lines.push('', `Last ${run.lastLines.length} log line(s)${run.linesFrom ?? ''}:`, '', '```', body, '```');
    return lines;
}
/** The summary's backup section: one row per backup taken before the deploy (columns as each action has them). */
function backupSection(headers, rows) {
    return rows.length ? ['', '### Backup', '', markdownTable(headers, rows)] : [];
}

;// CONCATENATED MODULE: ./src/pre-deploy-report.ts

// The backup and pre-deploy steps in the outputs and the summary, as deploy-ecs has them (README: "Alike with
// deploy-ecs"). deploy-ecs runs one task; here each host runs its own one-off container (and backup command).
/** `pre-deploy-exit-code` and `backups`. */
function preDeployOutputs(results) {
    const runs = results.flatMap((r) => r.preDeploy ?? []);
    // The first that did not succeed says it (a timed-out container has no exit code: empty, as deploy-ecs's).
    const shown = runs.find((p) => p.status !== 'succeeded') ?? runs[0];
    return {
        exitCode: shown?.exitCode === undefined ? '' : String(shown.exitCode),
        backups: results.flatMap((r) => (r.backup ? [`${r.host}:${r.backup}`] : [])).join(','),
    };
}
/** The summary's backup section, then one pre-deploy section per host where the container ran. */
function preDeploySummary(results) {
    const backups = backupSection(['host', 'backup (last line of the backup command)'], results.flatMap((r) => (r.backup ? [[r.host, `\`${r.backup}\``]] : [])));
    return [
        ...backups,
        ...results.flatMap((r) => r.preDeploy
            ? preDeploySection({
                title: `Pre-deploy container on ${r.host}`,
                status: r.preDeploy.status,
                command: r.preDeploy.command,
                where: `in a one-off \`${r.preDeploy.service}\` container of the new image`,
                durationMs: r.preDeploy.durationMs,
                exitCode: r.preDeploy.exitCode,
                stop: r.preDeploy.status === 'timed-out' ? 'stopped at command-timeout' : undefined,
                failed: `No service was changed on ${r.host}: ${r.preDeploy.status === 'timed-out'
                    ? 'the pre-deploy command did not finish within command-timeout; it was stopped'
                    : `the pre-deploy command exited with code ${r.preDeploy.exitCode}`}.`,
                lastLines: r.preDeploy.lastLines,
            })
            : []),
    ];
}

;// CONCATENATED MODULE: ./src/report.ts


function report_summaryTable(results) {
    const rows = results.map((r) => [
        r.host,
        r.status,
        (0,duration/* formatDuration */.a3)(r.durationMs),
        r.releaseId ?? '',
        r.previousReleaseId ?? '',
        Object.entries(r.images)
            .map(([s, i]) => `${s}: ${i}`)
            .join('\n'),
        r.error ?? (r.changed.length ? `changed: ${r.changed.join(', ')}` : ''),
    ]);
    return markdownTable(['host', 'status', 'duration', 'release', 'previous', 'images', 'details'], rows);
}
/** The outputs and the job summary of a deploy; a deploy that failed on any host fails the step, naming each. */
async function reportDeploy(project, releaseId, results, io) {
    io.setOutput('release-id', releaseId);
    io.setOutput('previous-release-id', results.map((r) => r.previousReleaseId).find(Boolean) ?? '');
    io.setOutput('hosts-result', JSON.stringify(Object.fromEntries(results.map((r) => [
        r.host,
        {
            status: r.status,
            duration: r.durationMs,
            images: r.images,
            release: r.releaseId,
            error: r.error,
            ...(r.colour ? { colour: r.colour } : {}),
            ...(r.colours ? { previous: r.colours } : {}),
            ...(r.backup ? { backup: r.backup } : {}),
            ...(r.preDeploy
                ? { preDeploy: { status: r.preDeploy.status, exitCode: r.preDeploy.exitCode } }
                : {}),
        },
    ]))));
    const pre = preDeployOutputs(results);
    io.setOutput('pre-deploy-exit-code', pre.exitCode);
    io.setOutput('backups', pre.backups);
    const sections = [report_summaryTable(results), ...preDeploySummary(results)].join('\n');
    await appendSummary(`### deploy-compose: ${project} ${releaseId}\n\n${sections}\n`);
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length > 0) {
        const undone = results.filter((r) => r.status === 'rolled-back').map((r) => r.host);
        throw new errors/* UserError */.yo([
            `Release ${releaseId} failed on ${failed.map((r) => r.host).join(', ')}:`,
            ...failed.map((r) => `- ${r.host}: ${r.error}`),
            ...(undone.length ? [`Returned to the previous release (atomic): ${undone.join(', ')}.`] : []),
        ].join('\n'));
    }
}

;// CONCATENATED MODULE: ./src/main.ts








const defaultDeps = () => ({
    // step debug shows how long each remote command took
    connect: timedConnect(connectSsh, lib_core.debug),
    readFile: (path) => (0,workspace_files/* readWorkspaceText */.tA)('compose-file', path),
    fs: nodeFs,
    now: () => new Date(),
    env: process.env,
    state: createStateStore(),
    records: (token) => token
        ? createDeploymentRecords(createGitHubClient(token), process.env.GITHUB_REPOSITORY ?? '')
        : undefined,
    io: { info: lib_core.info, notice: lib_core.notice, warning: lib_core.warning, setOutput: lib_core.setOutput },
});
async function run(inputs = (0,src_inputs/* getInputs */.GP)(), deps = defaultDeps()) {
    if (inputs.insecureSkipHostKeyCheck) {
        deps.io.warning('insecure-skip-host-key-check is on: host keys are NOT verified, so anyone in the middle can take this deploy (and its secrets). Use known-hosts or fingerprints.');
    }
    // Wall clock: the analysis compares it with CloudWatch's alarm timestamps.
    const startedAt = new Date().toISOString();
    const plan = planDeploy(inputs, deps);
    if (inputs.dryRun)
        return reportPlan(await planCompose(plan, inputs, deps), deps);
    deps.io.setOutput('started-at', startedAt);
    const results = await deployCompose(plan, inputs, deps);
    await reportStrategy(inputs.strategy, plan.canarySteps, deps.io);
    await reportDeploy(inputs.project, plan.release.id, results, deps.io);
}


/***/ }),

/***/ 90377:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IZ: () => (/* binding */ acquireLock),
/* harmony export */   T4: () => (/* binding */ renewLockValues),
/* harmony export */   cE: () => (/* binding */ KEEP_PREVIOUS_TIMER),
/* harmony export */   gX: () => (/* binding */ lockReleaseScript),
/* harmony export */   x_: () => (/* binding */ releaseLock)
/* harmony export */ });
/* unused harmony exports OLD_CONTAINERS_STOP, LOCK_RELEASE_FILES */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(51110);
/* harmony import */ var _host_history__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(92256);
/* harmony import */ var _remote_host_script__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(42386);
/* harmony import */ var _retry__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(55931);





/**
 * The holder the keep-previous timer writes when it takes a project's lock on its host (bg-timer.sh): it stops the
 * previous blue-green colour under the same lock a deploy takes, for a few seconds.
 */
const KEEP_PREVIOUS_TIMER = 'keep-previous-timer';
/**
 * The holder a deploy's lock is handed to when it is released with old containers still to stop (lock-release.sh
 * starts retire.sh): it holds the lock until their drain and stop grace period are over.
 */
const OLD_CONTAINERS_STOP = 'old-containers-stop';
/** A lock's holder as its info lines name it (owner=, run=). */
const listedHolder = (lines) => lines.filter((l) => /^(owner|run)=/.test(l)).join(', ');
/** Who holds a lock, for the messages of a run that waits for it. */
function holderOf(lines) {
    if (lines.includes(`owner=${KEEP_PREVIOUS_TIMER}`))
        return 'the keep-previous timer, which is stopping the previous blue-green colour (it holds it for seconds)';
    if (lines.includes(`owner=${OLD_CONTAINERS_STOP}`))
        return `the stop of the old containers of the deploy before (${lines.filter((l) => l.startsWith('run=')).join('')}), which holds it until they drained and stopped`;
    return `another deploy (${listedHolder(lines)})`;
}
/**
 * The lock's own values for a deploy phase's script (lock-renew.sh): checks the lock is still ours and renews it
 * until `seconds` from now, else the phase stops with exit code 75 before touching anything.
 */
function renewLockValues(lock, seconds) {
    return { LOCK_PARENT: lock.dir, LOCK_TOKEN: lock.token, LOCK_SECONDS: seconds };
}
/** What lock-acquire.sh prints between its lock lines and the history, when it took the lock. */
const HISTORY_MARK = '\n--- history\n';
/**
 * One lock per project and host (lock-acquire.sh): a directory made with `mkdir`, holding who took it, from which
 * run, and until when. A lock past its time is stale: it is taken over with a warning, so a run that died without
 * its post step never blocks the next deploy for longer than the TTL. The project's release history is read under
 * the lock in the same command (history-read.sh after lock-acquire.sh): a deploy's first two steps in one round
 * trip. It comes back as history-read.sh's text, for parseHistory, which the caller runs once it keeps the lock (a
 * history it cannot read still leaves a lock to release).
 */
async function acquireLock(session, options) {
    const token = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(12).toString('hex');
    const ttl = Math.ceil(options.ttlMs / 1000);
    const info = `owner=${options.owner}\nrun=${options.runUrl}\ntoken=${token}`;
    const script = (0,_remote_host_script__WEBPACK_IMPORTED_MODULE_1__/* .hostScript */ .Q1)({
        LOCK_PARENT: options.dir,
        LOCK_TOKEN: token,
        LOCK_INFO: info,
        LOCK_TTL: ttl,
        ...(0,_host_history__WEBPACK_IMPORTED_MODULE_2__/* .historyValues */ .DR)(options.dir),
    }, 'lock-acquire', 'history-read');
    const started = Date.now();
    for (let announced = false;;) {
        const { stdout } = await session.exec(script, { label: 'taking the deploy lock' });
        const mark = stdout.indexOf(HISTORY_MARK);
        const historyText = mark < 0 ? '' : stdout.slice(mark + HISTORY_MARK.length);
        const lines = (mark < 0 ? stdout : stdout.slice(0, mark)).trim().split('\n');
        const state = lines.at(-1);
        // The end of the deploy before (bounded: its lock expires when the stop must be over) is waited for whatever
        // lock-wait says, and looked at more often: it ends within seconds.
        const stopping = lines.includes(`owner=${OLD_CONTAINERS_STOP}`);
        if (state === 'acquired')
            return { lock: { token, dir: options.dir }, historyText };
        if (state === 'taken-over') {
            options.warn(`${session.name}: took over a stale deploy lock (${listedHolder(lines) || 'no owner recorded'}); its TTL had passed.`);
            return { lock: { token, dir: options.dir }, historyText };
        }
        if (!stopping && Date.now() - started >= options.waitMs) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .yo(`The deploy lock of ${options.dir} is held by ${holderOf(lines)}. Waited ${Math.round(options.waitMs / 1000)}s (lock-wait). Let that run finish, or remove ${options.dir}/.slipway.lock on the host if it is dead.`);
        }
        if (!announced)
            options.log(`${session.name}: waiting for the deploy lock held by ${holderOf(lines)}.`);
        announced = true;
        await (0,_retry__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(stopping ? Math.min(500, options.pollMs ?? 500) : (options.pollMs ?? 2000));
    }
}
/** lock-release.sh with the functions it calls (stop_group, detached_started). */
const LOCK_RELEASE_FILES = ['stop-group', 'detach', 'lock-release'];
/** The text of lock-release.sh and what it needs, for a script that releases the lock itself (LOCK_RELEASE). */
function lockReleaseScript() {
    return LOCK_RELEASE_FILES.map(_remote_host_script__WEBPACK_IMPORTED_MODULE_1__/* .shellFile */ .jI).join('\n');
}
/** What the holder the lock is handed to runs, detached (retire.sh), releasing the lock at its end. */
function retireScript() {
    return (0,_remote_host_script__WEBPACK_IMPORTED_MODULE_1__/* .hostScript */ .Q1)({ LOCK_RELEASE: lockReleaseScript() }, 'lib', 'retire');
}
/**
 * Releases the lock if we still hold it (a taken-over lock belongs to someone else now). A deploy phase still
 * running under it (the run was cancelled, or its connection lost) is stopped first, so nothing changes the
 * project once the lock is free. Old containers a roll queued for the stop after the verdict keep it held: it is
 * handed to that stop (OLD_CONTAINERS_STOP), which runs detached on the host and releases it once they stopped.
 * Returns whether a phase was stopped.
 */
async function releaseLock(session, lock) {
    const { stdout } = await session.exec((0,_remote_host_script__WEBPACK_IMPORTED_MODULE_1__/* .hostScript */ .Q1)({ LOCK_PARENT: lock.dir, LOCK_TOKEN: lock.token, RETIRE_SCRIPT: retireScript() }, ...LOCK_RELEASE_FILES), { label: 'releasing the deploy lock' });
    return stdout.includes('stopping process group');
}


/***/ }),

/***/ 92256:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DR: () => (/* binding */ historyValues),
/* harmony export */   Lu: () => (/* binding */ readHistory),
/* harmony export */   Xb: () => (/* binding */ pruneReleases),
/* harmony export */   i6: () => (/* binding */ parseHistory),
/* harmony export */   wn: () => (/* binding */ writeHistory)
/* harmony export */ });
/* unused harmony export HISTORY_FILE */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51110);
/* harmony import */ var _remote_host_script__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(42386);
/* harmony import */ var _remote_write_files__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(45854);



const HISTORY_FILE = 'history.json';
/** Reads a host's release history; a host never deployed to has an empty one. */
async function readHistory(session, dir) {
    const { stdout } = await session.exec((0,_remote_host_script__WEBPACK_IMPORTED_MODULE_0__/* .hostScript */ .Q1)(historyValues(dir), 'history-read'), {
        label: 'reading the release history',
    });
    return parseHistory(stdout, session.name, dir);
}
/** The values history-read.sh needs for the history of the project folder `dir`. */
const historyValues = (dir) => ({ HISTORY: `${dir}/${HISTORY_FILE}` });
/** What history-read.sh printed on `host`, as a release history; a clear error for anything else. */
function parseHistory(text, host, dir) {
    try {
        const parsed = JSON.parse(text);
        if (!Array.isArray(parsed))
            throw new Error('not a list');
        return parsed;
    }
    catch (error) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`${host}: ${dir}/${HISTORY_FILE} is not a release history (${error.message}). Fix or remove that file.`);
    }
}
async function writeHistory(session, dir, history) {
    const content = `${JSON.stringify(history, null, 2)}\n`;
    await (0,_remote_write_files__WEBPACK_IMPORTED_MODULE_2__/* .writeFiles */ .h)(session, dir, [{ name: HISTORY_FILE, content, mode: 0o644 }], 'writing the release history');
}
/**
 * Keeps the newest `keep` releases (by id, the running one and its predecessor always included) in the history
 * and on disk; older release folders, with their env files, are removed. Entries marked bad stay in the history
 * (without their folders), so their digests are still refused.
 */
async function pruneReleases(session, dir, history, keep) {
    const ids = [];
    for (const entry of [...history].reverse())
        if (!ids.includes(entry.id))
            ids.push(entry.id);
    const deployed = [...history]
        .reverse()
        .filter((e) => e.result === 'deployed')
        .map((e) => e.id);
    const kept = new Set([...ids.slice(0, keep), ...deployed.slice(0, 2)]);
    const dropped = ids.filter((id) => !kept.has(id));
    if (dropped.length > 0) {
        const paths = dropped.map((id) => `${dir}/releases/${id}`).join('\n');
        await session.exec((0,_remote_host_script__WEBPACK_IMPORTED_MODULE_0__/* .hostScript */ .Q1)({ REMOVE: paths }, 'releases-remove'), { label: 'removing old releases' });
    }
    return history.filter((entry) => kept.has(entry.id) || entry.bad !== undefined);
}


/***/ }),

/***/ 92081:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ limiter)
/* harmony export */ });
/** Runs at most `limit` of the calls given to it at once; the others wait their turn, in order. */
function limiter(limit) {
    let running = 0;
    const waiting = [];
    return async (call) => {
        if (running >= limit)
            await new Promise((resolve) => waiting.push(resolve));
        running++;
        try {
            return await call();
        }
        finally {
            running--;
            waiting.shift()?.();
        }
    };
}


/***/ }),

/***/ 42386:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q1: () => (/* binding */ hostScript),
/* harmony export */   jI: () => (/* binding */ shellFile)
/* harmony export */ });
/* unused harmony export assignments */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _shell_quote__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(34006);



const texts = new Map();
function shellFile(name) {
    let text = texts.get(name);
    if (text === undefined) {
        text = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(__dirname, 'sh', `${name}.sh`), 'utf8');
        texts.set(name, text);
    }
    return text;
}
const NAME = /^[A-Z][A-Z0-9_]*$/;
/**
 * THE one place values reach a remote script: one quoted assignment per value (`NAME='value'`), before the
 * script's files. Nothing is ever spliced into a file's text.
 */
function assignments(values) {
    return Object.entries(values)
        .map(([name, value]) => {
        if (!NAME.test(name))
            throw new Error(`Bug: "${name}" is not a script variable name.`);
        if (typeof value === 'number' && !Number.isSafeInteger(value)) {
            throw new Error(`Bug: ${name}=${value} is not an integer.`);
        }
        const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
        return `${name}=${(0,_shell_quote__WEBPACK_IMPORTED_MODULE_2__/* .shellQuote */ .Z)(text)}`;
    })
        .join('\n');
}
/** A script for a host: the values, then the files in order. */
function hostScript(values, ...files) {
    return [assignments(values), ...files.map(shellFile)].join('\n');
}


/***/ }),

/***/ 45854:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  h: () => (/* binding */ writeFiles)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ../../packages/shared/src/limiter.ts
var limiter = __webpack_require__(92081);
// EXTERNAL MODULE: ../../packages/shared/src/remote/host-script.ts
var host_script = __webpack_require__(42386);
;// CONCATENATED MODULE: ../../packages/shared/src/remote/ustar.ts
const BLOCK = 512;
/** `value` in octal, zero-padded to fill `width - 1` characters and NUL-terminated (a ustar number field). */
function octal(value, width) {
    return `${value.toString(8).padStart(width - 1, '0')}\0`;
}
/** The ustar name and prefix of a path (name up to 100 bytes, prefix up to 155, split at a `/`), or undefined. */
function splitName(path) {
    if (Buffer.byteLength(path) <= 100)
        return { name: path, prefix: '' };
    for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) {
        const prefix = path.slice(0, at);
        const name = path.slice(at + 1);
        if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name)
            return { name, prefix };
    }
    return undefined;
}
function header(file, size, parts, mtime) {
    const block = Buffer.alloc(BLOCK);
    const put = (text, offset) => block.write(text, offset, 'utf8');
    put(parts.name, 0);
    put(octal(file.mode & 0o7777, 8), 100);
    put(octal(0, 8), 108);
    put(octal(0, 8), 116);
    put(octal(size, 12), 124);
    put(octal(mtime, 12), 136);
    put('        ', 148);
    put('0', 156);
    put('ustar\0', 257);
    put('00', 263);
    put(parts.prefix, 345);
    let sum = 0;
    for (const byte of block)
        sum += byte;
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    return block;
}
/**
 * A POSIX ustar archive of regular files (the folders they sit in are made by tar as it unpacks), so many small
 * files reach a host in one command: `tar -x` with GNU tar and busybox alike. Undefined when a path does not fit
 * ustar's name fields (longer than 255 bytes, or a last part longer than 100).
 */
function ustarArchive(files) {
    const blocks = [];
    const mtime = Math.floor(Date.now() / 1000);
    for (const file of files) {
        const parts = splitName(file.name);
        if (!parts)
            return undefined;
        const content = Buffer.from(file.content);
        blocks.push(header(file, content.length, parts, mtime), content);
        const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
        if (pad)
            blocks.push(Buffer.alloc(pad));
    }
    blocks.push(Buffer.alloc(2 * BLOCK));
    return Buffer.concat(blocks);
}

;// CONCATENATED MODULE: ../../packages/shared/src/remote/write-files.ts




const UPLOADS_AT_ONCE = 4;
/**
 * Files into `folder` on a host (names relative to it), each written whole (a reader never sees half of one), in
 * one command: their folders made, a ustar archive on standard input unpacked beside them under umask 077, each
 * file given its mode and renamed into place (make-dirs.sh, write-files.sh). A path ustar cannot name sends every
 * file by SFTP instead (several round trips each, a few at once).
 */
async function writeFiles(session, folder, files, label) {
    const dirs = new Set([folder, ...files.map((f) => external_node_path_.posix.dirname(`${folder}/${f.name}`))]);
    const made = { DIRS: [...dirs].join('\n') };
    const archive = ustarArchive(files);
    if (archive) {
        const modes = files.map((f) => `${f.mode.toString(8)} ${f.name}`).join('\n');
        await session.exec((0,host_script/* hostScript */.Q1)({ ...made, FOLDER: folder, MODES: modes }, 'make-dirs', 'write-files'), {
            label,
            stdin: archive,
        });
        return;
    }
    await session.exec((0,host_script/* hostScript */.Q1)(made, 'make-dirs'), { label });
    // sshd serves at most 10 channels per connection when SFTP falls back to exec
    const upload = (0,limiter/* limiter */.T)(UPLOADS_AT_ONCE);
    await Promise.all(files.map((file) => upload(() => session.upload(`${folder}/${file.name}`, file.content, file.mode))));
}


/***/ }),

/***/ 55931:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   dg: () => (/* binding */ isTransient),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony exports backoffDelay, isTransientStatus */
/* harmony import */ var _duration__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(70833);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, (0,_duration__WEBPACK_IMPORTED_MODULE_0__/* .timerDelay */ .nR)(ms)));
/** Full-jitter exponential back-off: a random delay in [0, min(max, base * 2^(attempt-1))]. */
function backoffDelay(attempt, baseMs, maxMs, random) {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(random() * ceiling);
}
/**
 * Calls `fn` until it succeeds, the error is not retryable, the attempts are used up or the deadline is near.
 * The last error is rethrown as it was, so callers and the error boundary see the real cause.
 */
async function retry(fn, options = {}) {
    const { attempts = 5, baseDelayMs = 500, maxDelayMs = 10_000, deadlineMs, retryable = isTransient, onRetry, sleep: wait = sleep, random = Math.random, now = Date.now, } = options;
    const start = now();
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (attempt >= attempts || !retryable(error))
                throw error;
            const delay = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
            if (deadlineMs !== undefined && now() + delay - start >= deadlineMs)
                throw error;
            onRetry?.(error, attempt, delay);
            await wait(delay);
        }
    }
}
const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'ENOTFOUND',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
]);
const TRANSIENT_AWS = new Set([
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'InternalFailure',
    'ServerException',
]);
/** HTTP statuses that mean "try again": timeouts, rate limits and server errors other than 501. */
function isTransientStatus(status) {
    return status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501);
}
/**
 * The suite's default classifier: network failures, throttling and 5xx are transient; everything else
 * (4xx, access denied, bad input) is not. Looks through `cause` chains (fetch wraps socket errors).
 */
function isTransient(error) {
    for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
        const err = e;
        // AWS names first (throttling comes with HTTP 400), then HTTP status, then socket codes (read last:
        // octokit's RequestError logs a deprecation warning when `code` is read).
        if (typeof err.name === 'string' && (TRANSIENT_AWS.has(err.name) || err.name === 'TimeoutError'))
            return true;
        if (err.$retryable)
            return true;
        const status = [err.status, err.statusCode, err.$metadata?.httpStatusCode].find((s) => typeof s === 'number');
        if (typeof status === 'number')
            return isTransientStatus(status);
        if (typeof err.code === 'string' && TRANSIENT_CODES.has(err.code))
            return true;
        e = err.cause;
    }
    return false;
}


/***/ }),

/***/ 34006:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ shellQuote)
/* harmony export */ });
/* unused harmony export shellCommand */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/**
 * Quotes one argument for a POSIX shell on a remote host: safe words stay as they are, anything else is put in
 * single quotes, inside which nothing is special; a single quote becomes '"'"'. NUL cannot be passed at all.
 */
function shellQuote(arg) {
    if (arg.includes('\0'))
        throw new Error('A shell argument cannot contain a NUL byte.');
    if (arg === '')
        return "''";
    if (SAFE.test(arg))
        return arg;
    return `'${arg.replace(/'/g, `'"'"'`)}'`;
}
/** Quotes every argument and joins them into one command line. */
function shellCommand(argv) {
    return argv.map(shellQuote).join(' ');
}


/***/ })

};
;