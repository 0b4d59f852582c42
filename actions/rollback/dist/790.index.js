"use strict";
exports.id = 790;
exports.ids = [790];
exports.modules = {

/***/ 48790:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  composeTarget: () => (/* binding */ composeTarget),
  defaultComposeDeps: () => (/* binding */ defaultComposeDeps)
});

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
var secrets = __webpack_require__(18244);
;// CONCATENATED MODULE: ../../packages/shared/src/shell-quote.ts
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ../../packages/shared/src/remote/host-script.ts



const texts = new Map();
function shellFile(name) {
    let text = texts.get(name);
    if (text === undefined) {
        text = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(__dirname, 'sh', `${name}.sh`), 'utf8');
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
        return `${name}=${shellQuote(text)}`;
    })
        .join('\n');
}
/** A script for a host: the values, then the files in order. */
function hostScript(values, ...files) {
    return [assignments(values), ...files.map(shellFile)].join('\n');
}

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
    const script = hostScript({ TUNNEL_ADDRESS: address, TUNNEL_PORT: port }, 'tunnel');
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
    return hostScript({
        SLIPWAY_SECONDS: Math.max(1, Math.ceil(timeoutMs / 1000)),
        SLIPWAY_SCRIPT: script,
        SLIPWAY_GROUP: shellFile('group'),
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
                    return reject(new RemoteCommandError(name, label, result.code, (0,secrets/* maskSecrets */.QU)(result.stderr), result.timedOut));
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
            `tmp=${shellQuote(temp)}`,
            `if cat > "$tmp" && chmod ${mode.toString(8)} -- "$tmp" && mv -f -- "$tmp" ${shellQuote(remotePath)}; then exit 0; fi`,
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

// EXTERNAL MODULE: ../../packages/shared/src/compose-fleet/fleet-inputs.ts + 1 modules
var fleet_inputs = __webpack_require__(90743);
;// CONCATENATED MODULE: ../../packages/shared/src/limiter.ts
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
        await session.exec(hostScript({ ...made, FOLDER: folder, MODES: modes }, 'make-dirs', 'write-files'), {
            label,
            stdin: archive,
        });
        return;
    }
    await session.exec(hostScript(made, 'make-dirs'), { label });
    // sshd serves at most 10 channels per connection when SFTP falls back to exec
    const upload = limiter(UPLOADS_AT_ONCE);
    await Promise.all(files.map((file) => upload(() => session.upload(`${folder}/${file.name}`, file.content, file.mode))));
}

;// CONCATENATED MODULE: ../../packages/shared/src/host-history/history-file.ts



const HISTORY_FILE = 'history.json';
/** Reads a host's release history; a host never deployed to has an empty one. */
async function readHistory(session, dir) {
    const { stdout } = await session.exec(hostScript(historyValues(dir), 'history-read'), {
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
        throw new errors/* UserError */.yo(`${host}: ${dir}/${HISTORY_FILE} is not a release history (${error.message}). Fix or remove that file.`);
    }
}
async function writeHistory(session, dir, history) {
    const content = `${JSON.stringify(history, null, 2)}\n`;
    await writeFiles(session, dir, [{ name: HISTORY_FILE, content, mode: 0o644 }], 'writing the release history');
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
        await session.exec(hostScript({ REMOVE: paths }, 'releases-remove'), { label: 'removing old releases' });
    }
    return history.filter((entry) => kept.has(entry.id) || entry.bad !== undefined);
}

// EXTERNAL MODULE: ../../packages/shared/src/deployments/release-history.ts
var release_history = __webpack_require__(88022);
;// CONCATENATED MODULE: ../../packages/shared/src/host-history/history-entry.ts

/** The release a host runs now: the newest entry that is deployed. */
function currentRelease(history) {
    return [...history].reverse().find((entry) => entry.result === 'deployed');
}
/** Why a host must not run `digest` again (a release running it was marked bad there), if it must not. */
function hostBadDigest(history, digest) {
    const entry = [...history]
        .reverse()
        .find((e) => e.bad && Object.values(e.images).some((ref) => (0,release_history/* imageDigest */.Wf)(ref) === digest));
    return entry?.bad && { releaseId: entry.id, mark: entry.bad };
}
/** Why a host must not go back to release `id` (marked bad, or running a digest marked bad), if it must not. */
function hostBadRelease(history, id) {
    const entries = history.filter((e) => e.id === id);
    const marked = entries.find((e) => e.bad)?.bad;
    if (marked)
        return marked;
    for (const ref of entries.flatMap((e) => Object.values(e.images))) {
        const digest = (0,release_history/* imageDigest */.Wf)(ref);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/host-lock.ts





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
    const token = (0,external_node_crypto_.randomBytes)(12).toString('hex');
    const ttl = Math.ceil(options.ttlMs / 1000);
    const info = `owner=${options.owner}\nrun=${options.runUrl}\ntoken=${token}`;
    const script = hostScript({
        LOCK_PARENT: options.dir,
        LOCK_TOKEN: token,
        LOCK_INFO: info,
        LOCK_TTL: ttl,
        ...historyValues(options.dir),
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
            throw new errors/* UserError */.yo(`The deploy lock of ${options.dir} is held by ${holderOf(lines)}. Waited ${Math.round(options.waitMs / 1000)}s (lock-wait). Let that run finish, or remove ${options.dir}/.slipway.lock on the host if it is dead.`);
        }
        if (!announced)
            options.log(`${session.name}: waiting for the deploy lock held by ${holderOf(lines)}.`);
        announced = true;
        await (0,retry/* sleep */.yy)(stopping ? Math.min(500, options.pollMs ?? 500) : (options.pollMs ?? 2000));
    }
}
/** lock-release.sh with the functions it calls (stop_group, detached_started). */
const LOCK_RELEASE_FILES = ['stop-group', 'detach', 'lock-release'];
/** The text of lock-release.sh and what it needs, for a script that releases the lock itself (LOCK_RELEASE). */
function lockReleaseScript() {
    return LOCK_RELEASE_FILES.map(shellFile).join('\n');
}
/** What the holder the lock is handed to runs, detached (retire.sh), releasing the lock at its end. */
function retireScript() {
    return hostScript({ LOCK_RELEASE: lockReleaseScript() }, 'lib', 'retire');
}
/**
 * Releases the lock if we still hold it (a taken-over lock belongs to someone else now). A deploy phase still
 * running under it (the run was cancelled, or its connection lost) is stopped first, so nothing changes the
 * project once the lock is free. Old containers a roll queued for the stop after the verdict keep it held: it is
 * handed to that stop (OLD_CONTAINERS_STOP), which runs detached on the host and releases it once they stopped.
 * Returns whether a phase was stopped.
 */
async function releaseLock(session, lock) {
    const { stdout } = await session.exec(hostScript({ LOCK_PARENT: lock.dir, LOCK_TOKEN: lock.token, RETIRE_SCRIPT: retireScript() }, ...LOCK_RELEASE_FILES), { label: 'releasing the deploy lock' });
    return stdout.includes('stopping process group');
}

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
    return hostScript({
        LOCK_ACQUIRE: shellFile('lock-acquire'),
        LOCK_RELEASE: lockReleaseScript(),
        LOCK_INFO: `owner=${KEEP_PREVIOUS_TIMER}\nrun=the end of keep-previous: stopping the previous blue-green colour`,
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

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/canary-steps.ts

/** At most this many steps: each bakes for canary-interval, so more would be a slow rollout, not a safer one. */
const MAX_STEPS = 20;
/**
 * `canary-steps`: the share of traffic the new version gets at each step, in percent, such as `5%,25%,100%`
 * (commas or spaces; the `%` may be left out). Each step above the one before, none above 100; a list that does
 * not end at 100% ends there anyway (as Argo Rollouts promotes after its last step), said in the log.
 */
function parseCanarySteps(text, input = 'canary-steps') {
    const accepted = `shares of traffic in percent, rising, such as 5%,25%,100%`;
    const parts = text.split(/[\s,]+/).filter(Boolean);
    if (parts.length === 0)
        throw new InputError(input, `Input "${input}" must be ${accepted}; got nothing.`);
    const steps = parts.map((part) => {
        const match = /^(\d{1,3}(?:\.\d{1,2})?)%?$/.exec(part);
        const value = match ? Number(match[1]) : Number.NaN;
        if (!match || value <= 0 || value > 100) {
            throw new InputError(input, `Input "${input}" must be ${accepted}; ${JSON.stringify(part)} is not a share above 0% and at most 100%.`);
        }
        return value;
    });
    steps.forEach((step, i) => {
        if (i > 0 && step <= steps[i - 1]) {
            throw new InputError(input, `Input "${input}" must be ${accepted}; ${step}% after ${steps[i - 1]}% does not rise (each step gives the new version more traffic than the one before).`);
        }
    });
    if (steps.at(-1) !== 100)
        steps.push(100);
    if (steps.length > MAX_STEPS) {
        throw new InputError(input, `Input "${input}" has ${steps.length} steps; at most ${MAX_STEPS}.`);
    }
    return steps;
}
const canary_steps_round1 = (n) => Math.round(n * 10) / 10;
/**
 * The replica ratio nearest each declared share: the proxies in front (Nginx `proxy_pass http://web:8080`,
 * HAProxy, Caddy `dynamic a`) spread requests evenly over the addresses of the service's DNS name, so k new
 * containers beside n old ones get k/(n+k). k is held to 1..n (at most as many new containers as old, so the
 * host never runs more than twice the service, as a rolling deploy does): with one old container every step
 * below 100% is 50%. The last step (100%) takes the old ones out of rotation with n new ones in.
 */
function canaryPlan(steps, oldCount) {
    if (!Number.isSafeInteger(oldCount) || oldCount < 1)
        throw new Error(`Bug: ${oldCount} old containers.`);
    return steps.map((declared) => {
        if (declared >= 100)
            return { declared, newCount: oldCount, oldCount, effective: 100 };
        let best = 1;
        for (let k = 2; k <= oldCount; k++) {
            const error = Math.abs(k / (oldCount + k) - declared / 100);
            if (error < Math.abs(best / (oldCount + best) - declared / 100) - 1e-9)
                best = k;
        }
        return { declared, newCount: best, oldCount, effective: canary_steps_round1((100 * best) / (oldCount + best)) };
    });
}
/** The highest weight HAProxy takes on a server (and the lowest above 0 is 1). */
const MAX_WEIGHT = 256;
/**
 * The integer weights (1..256) nearest a declared share: `oldServers` servers at `old` beside one new server at
 * `new` give it new/(oldServers*old + new). The smallest weights win a tie, so 50% is 1:1 and 10% is 9:1.
 */
function nearestWeights(declared, oldServers) {
    let best = { old: 1, new: 1, error: Number.POSITIVE_INFINITY };
    for (let n = 1; n <= MAX_WEIGHT; n++) {
        for (let o = 1; o <= MAX_WEIGHT; o++) {
            const error = Math.abs(n / (oldServers * o + n) - declared / 100);
            if (error < best.error - 1e-12)
                best = { old: o, new: n, error };
        }
    }
    return { old: best.old, new: best.new };
}
/**
 * The steps given by a proxy's server weights (HAProxy's runtime API): below 100%, one new container as a server
 * beside the `oldServers` servers of the old containers in each backend, weighted as nearly as integer weights
 * allow (declared 5% is 5%; 0.1% is 0.4%, as 1:256 is the smallest share); at 100%, as the replica ratio: as many
 * new containers as old, the old out of rotation.
 */
function canaryWeightPlan(steps, oldCount, proxy, oldServers) {
    if (!Number.isSafeInteger(oldServers) || oldServers < 1)
        throw new Error(`Bug: ${oldServers} old servers.`);
    return canaryPlan(steps, oldCount).map((step) => {
        if (step.effective === 100)
            return step;
        const weights = nearestWeights(step.declared, oldServers);
        const effective = canary_steps_round1((100 * weights.new) / (oldServers * weights.old + weights.new));
        return { ...step, newCount: 1, effective, weights: { proxy, ...weights, oldServers } };
    });
}
/** `declared 5%, effective 50% (1 new beside 1 old)`: what a step really gives, in the log and the outputs. */
function describeStep(step) {
    const w = step.weights;
    const servers = w && `${w.oldServers} old server${w.oldServers === 1 ? '' : 's'} at ${w.old}`;
    const containers = w
        ? `${w.proxy} weights: ${step.newCount} new container at ${w.new}, ${servers}${w.oldServers === 1 ? '' : ' each'}`
        : step.effective === 100
            ? `${step.newCount} new, the ${step.oldCount} old out of rotation`
            : `${step.newCount} new beside ${step.oldCount} old`;
    return `declared ${step.declared}%, effective ${step.effective}% (${containers})`;
}

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
        ? canaryWeightPlan(steps, oldCount, mechanism.proxy, mechanism.oldServers)
        : canaryPlan(steps, oldCount);
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
            log(`${where}: canary step ${number} of ${plan.length}: ${describeStep(step)}.`);
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
                throw new errors/* UserError */.yo(`${where}: canary step ${number} of ${plan.length} (${describeStep(step)}) failed: ${why}. All traffic went back to the old version; the new containers were removed.`);
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
        return { status: 'timed-out', lines: lines.map(secrets/* redactText */.Rd) };
    return {
        status: result.code === 0 ? 'succeeded' : 'failed',
        exitCode: result.code,
        lines: lines.map(secrets/* redactText */.Rd),
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
        throw new RemoteCommandError(host, label, result.code, (0,secrets/* maskSecrets */.QU)(result.stderr), result.timedOut);
    }
    for (const line of read.lines)
        ctx.log(`${host}: [pre-deploy] ${line}`);
    // A container that said nothing and failed: Compose's own error (no such image, no such service) says why.
    const own = read.status === 'succeeded' || read.lines.length ? '' : (0,secrets/* redactText */.Rd)(result.stderr.trim());
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
    return hostScript({
        ...(lock ? renewLockValues(lock.handle, lock.seconds) : {}),
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
            ? writeFiles(session, `${place.dir}/releases/${release.id}`, release.files, "writing the release's files")
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
        const taken = await acquireLock(run.session, {
            ...options.lock,
            dir: options.dir,
            warn: options.warn,
            log: options.log,
        });
        run.lock = taken.lock;
        options.onLock?.(result.host, run.lock);
        run.history = parseHistory(taken.historyText, run.session.name, options.dir);
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
            await writeHistory(run.session, options.dir, run.history).catch(() => undefined);
            throw new Error(`${reason}\n${result.host} ${undo}.`);
        }
        const colours = colourRecord(run.history, options.strategy, run.colours, run.previous?.id, result.changed.length > 0);
        Object.assign(result, { colour: colours.colour, colours: run.colours?.kind });
        run.history.push(entryFor(release, 'deployed', { backup: result.backup, ...colours }));
        run.history = await pruneReleases(run.session, options.dir, run.history, options.keepReleases);
        await writeHistory(run.session, options.dir, run.history);
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
            await writeHistory(run.session, options.dir, run.history);
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
                await releaseLock(run.session, run.lock).then(() => options.onLock?.(run.result.host, undefined), (error) => options.warn(`${run.result.host}: could not release the deploy lock (${(0,errors/* toError */.iT)(error).message}); it expires with its TTL.`));
            }
        }
    }
    return runs.map((r) => r.result);
}

;// CONCATENATED MODULE: ../../packages/shared/src/compose-fleet/fleet.ts






function openFleet(inputs, connect) {
    const names = inputs.hosts.map((host) => (0,ssh_target/* formatSshTarget */.z)(host.target));
    const limit = limiter(inputs.maxParallel);
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
            .then((s) => readHistory(s, (0,fleet_inputs/* projectFolder */.Kb)(inputs)))
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

// EXTERNAL MODULE: ../../packages/shared/src/duration.ts
var duration = __webpack_require__(70833);
// EXTERNAL MODULE: ./src/report/parenthetical.ts
var parenthetical = __webpack_require__(17849);
// EXTERNAL MODULE: ./src/targets.ts
var targets = __webpack_require__(57136);
;// CONCATENATED MODULE: ./src/compose/compose-target.ts



const defaultComposeDeps = () => ({ connect: connectSsh, env: process.env });
/**
 * Compose hosts go back to one release, the same on every host, with deploy-compose's own machinery: each
 * host's release history (read first, changing nothing), then "deploy release X to all hosts" (locks, health
 * waits, atomic: a host that fails returns every host to what it ran). Each host's history marks the release it
 * rolled away from bad (`reason`), so neither a later rollback nor deploy-compose brings it back unforced.
 */
function composeTarget(inputs, deps, reason) {
    const runUrl = `${deps.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${deps.env.GITHUB_REPOSITORY ?? ''}/actions/runs/${deps.env.GITHUB_RUN_ID ?? ''}`;
    const options = { ...(0,fleet_inputs/* fleetOptions */.Lk)(inputs, deps.env, runUrl), atomic: true, markPreviousBad: reason };
    return {
        async plan(source) {
            // Each host is connected once per rollback: the sessions that read the histories here carry the deploy
            // too. A refused plan closes them; execute() closes them when it is done.
            const fleet = openFleet(inputs, deps.connect);
            try {
                const read = await fleet.histories();
                const failed = read.find((h) => h instanceof Error);
                if (failed)
                    throw failed;
                const histories = read;
                const { id, current, entry } = checkedRelease(source, histories, [...fleet.names], options.dir);
                const restored = entry(histories[0]);
                return {
                    from: (0,targets/* uniqueJoin */._)(current),
                    to: id,
                    payload: { images: restored.images, releaseId: id },
                    async execute() {
                        const results = await fleet
                            .deploy((history) => releaseFromHistory(entry(history)), options)
                            .finally(() => fleet.close());
                        return {
                            ok: results.every((r) => r.status === 'deployed' || r.status === 'unchanged'),
                            units: results.map((r, i) => ({
                                name: r.host,
                                from: r.previousReleaseId ?? current[i],
                                to: r.releaseId ?? id,
                                status: r.status,
                                reason: r.error ??
                                    `${r.changed.length ? `changed: ${r.changed.join(', ')}` : 'nothing changed'} in ${(0,duration/* formatDuration */.a3)(r.durationMs)}`,
                            })),
                        };
                    },
                };
            }
            catch (error) {
                fleet.close();
                throw error;
            }
        },
    };
}
/** The release to restore, refused (nothing changed) when a host lacks it or a host marked it bad. */
function checkedRelease(source, histories, names, dir) {
    const current = histories.map((h) => currentRelease(h)?.id ?? '');
    const id = chooseRelease(source, histories, current, names);
    const entry = (history) => [...history].reverse().find((e) => e.id === id && e.composeFiles.length > 0);
    const lacking = names.filter((_, i) => !entry(histories[i]));
    if (lacking.length) {
        throw new errors/* UserError */.yo(`${lacking.join(', ')} ${lacking.length > 1 ? 'have' : 'has'} no release ${id} in ${lacking.length > 1 ? 'their' : 'its'} ` +
            `history (${dir}/history.json): the fleet cannot go back to it together. Nothing was changed ` +
            `on any host; each still runs what it ran (${names.map((name, i) => `${name}: ${current[i] || 'nothing'}`).join(', ')}). ` +
            'Deploy that release there with deploy-compose, leave the host out of "hosts", or name another release with "to".');
    }
    const marked = names
        .map((host, i) => ({ host, mark: hostBadRelease(histories[i], id) }))
        .filter((m) => m.mark);
    if (marked.length) {
        throw new errors/* UserError */.yo(`Release ${id} was marked bad by a rollback on ${marked.map((m) => `${m.host} ${(0,parenthetical/* parenthetical */.j)(m.mark.reason)}`).join(', ')}: ` +
            'it is not restored, and nothing was changed. Name another release with "to", or deploy a fixed image ' +
            'with deploy-compose.');
    }
    return { id, current, entry };
}
/**
 * The release id: the record's, the explicit one, the newest one running an explicit digest, or (no records)
 * the newest release every host ran successfully before its current one.
 */
function chooseRelease(source, histories, current, names) {
    if ('record' in source) {
        const id = source.record.payload?.releaseId;
        if (!id)
            throw new errors/* UserError */.yo(`Deployment #${source.record.id} recorded no release id; name the release with "to".`);
        return id;
    }
    if ('explicit' in source) {
        const to = source.explicit;
        if (to.kind === 'release')
            return to.id;
        if (to.kind === 'digest') {
            const found = [...histories[0]]
                .reverse()
                .find((e) => e.result === 'deployed' && Object.values(e.images).some((i) => i.endsWith(`@${to.digest}`)));
            if (!found)
                throw new errors/* UserError */.yo(`Input "to": no release in ${names[0]}'s history runs ${to.digest}.`);
            return found.id;
        }
        throw new errors/* UserError */.yo('Input "to": a task definition means nothing to Compose hosts; name a release id.');
    }
    const candidates = histories.map((h) => previousReleases(h).map((e) => e.id));
    const common = candidates[0].find((id) => !current.includes(id) && candidates.every((c) => c.includes(id)));
    if (!common) {
        throw new errors/* UserError */.yo(`Nothing to roll back to: no release ran successfully on every host (${names.join(', ')}) before the current ` +
            `one (${(0,targets/* uniqueJoin */._)(current) || 'none'}), and there are no deployment records. Name the release with "to".`);
    }
    return common;
}


/***/ }),

/***/ 57136:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ uniqueJoin)
/* harmony export */ });
const uniqueJoin = (values) => [...new Set(values.filter(Boolean))].join(',');


/***/ })

};
;