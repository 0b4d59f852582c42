"use strict";
exports.id = 212;
exports.ids = [212];
exports.modules = {

/***/ 1212:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  defaultDeps: () => (/* binding */ defaultDeps),
  post: () => (/* binding */ post),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ../../node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7184);
// EXTERNAL MODULE: ../../node_modules/@actions/exec/lib/exec.js
var exec = __webpack_require__(9192);
// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __webpack_require__(1110);
// EXTERNAL MODULE: ../../packages/shared/src/secrets.ts
var secrets = __webpack_require__(8244);
;// CONCATENATED MODULE: ../../packages/shared/src/exec.ts




/**
 * Runs commands through @actions/exec. What it logs (the command line and the output) goes through
 * `maskSecrets`, so a registered secret is masked even where no runner masks it.
 */
function createCommandRunner() {
    return {
        async run(command, args, options = {}) {
            const line = [command, ...args].join(' ');
            core.info(`$ ${(0,secrets/* maskSecrets */.QU)(line)}`);
            const echo = (text) => {
                if (!options.quiet)
                    core.info((0,secrets/* maskSecrets */.QU)(text));
            };
            const result = await exec.getExecOutput(command, [...args], {
                input: options.input === undefined ? undefined : Buffer.from(options.input),
                cwd: options.cwd,
                env: options.env ? { ...process.env, ...options.env } : undefined,
                silent: true,
                ignoreReturnCode: true,
                listeners: { stdline: echo, errline: echo },
            });
            const out = { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
            if (out.code !== 0 && !options.allowFailure) {
                throw new errors/* CommandError */.Qd((0,secrets/* maskSecrets */.QU)(`${command} ${args[0] ?? ''}`.trim()), out.code, (0,secrets/* maskSecrets */.QU)(out.stderr));
            }
            return out;
        },
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ../../packages/shared/src/duration.ts
var duration = __webpack_require__(833);
;// CONCATENATED MODULE: ../../packages/shared/src/retry.ts

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, (0,duration/* timerDelay */.nR)(ms)));
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

// EXTERNAL MODULE: ../../packages/shared/src/registry/image-reference.ts
var image_reference = __webpack_require__(9932);
;// CONCATENATED MODULE: ../../packages/shared/src/registry/registry-auth.ts


const PARAM = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gy;
/** Parses `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="..."` or `Basic realm=...`. */
function parseChallenge(header) {
    const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header ?? '');
    if (!match)
        return undefined;
    const params = {};
    const rest = match[2];
    PARAM.lastIndex = 0;
    for (let m = PARAM.exec(rest); m && m[0] !== ''; m = PARAM.exec(rest)) {
        params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
    }
    return { scheme: match[1].toLowerCase(), params };
}
function basicAuthorization(credentials) {
    const value = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    (0,secrets/* registerSecret */.cl)(value);
    return `Basic ${value}`;
}
/**
 * The Bearer handshake of the distribution spec: GET the realm with service and scopes, with Basic
 * credentials when there are some (anonymous otherwise), and read `token` or `access_token`.
 */
async function fetchBearerToken(request) {
    const { realm, service } = request.challenge.params;
    if (!realm)
        throw new Error('The registry asked for a Bearer token but named no realm to get it from.');
    const url = new URL(realm);
    if (service)
        url.searchParams.set('service', service);
    for (const scope of request.scopes)
        url.searchParams.append('scope', scope);
    const headers = {};
    if (request.credentials)
        headers.authorization = basicAuthorization(request.credentials);
    const response = await request.fetch(url, { headers, signal: AbortSignal.timeout(request.timeoutMs) });
    if (response.status === 401 || response.status === 403) {
        throw new errors/* UserError */.yo(`The registry's token service (${url.origin}) refused ${request.credentials ? `the credentials of "${request.credentials.username}"` : 'anonymous access'} (${response.status}): check the username and password, and that they may ${request.scopes.join(' ')}.`);
    }
    if (!response.ok) {
        throw Object.assign(new Error(`The registry's token service answered ${response.status}.`), {
            status: response.status,
        });
    }
    const body = (await response.json());
    const token = body.token ?? body.access_token;
    if (!token)
        throw new Error("The registry's token service answered without a token.");
    (0,secrets/* registerSecret */.cl)(token);
    return token;
}

;// CONCATENATED MODULE: ../../packages/shared/src/registry/registry-client.ts





const MEDIA_TYPES = {
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
};
/** Every manifest type we can read, indexes first, so a registry never down-converts a multi-platform image. */
const MANIFEST_ACCEPT = [
    MEDIA_TYPES.ociIndex,
    MEDIA_TYPES.dockerList,
    MEDIA_TYPES.ociManifest,
    MEDIA_TYPES.dockerManifest,
].join(', ');
/** A registry answer that was not what we asked for; `status` lets `isTransient` pick the retryable ones. */
class RegistryError extends Error {
    status;
    name = 'RegistryError';
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
const sha256Digest = (data) => `sha256:${(0,external_node_crypto_.createHash)('sha256').update(data).digest('hex')}`;
/**
 * A client of the OCI distribution HTTP API: manifests (HEAD, GET, PUT), blobs (exists, mount, get,
 * upload), with the auth handshake (anonymous, Basic, Bearer from the WWW-Authenticate realm) and retries.
 */
class RegistryClient {
    options;
    registry;
    base;
    fetch;
    timeoutMs;
    challenge;
    tokens = new Map();
    constructor(options) {
        this.options = options;
        this.registry = options.registry;
        const insecure = options.insecure ?? (0,image_reference/* isLoopbackRegistry */.jW)(options.registry);
        this.base = `${insecure ? 'http' : 'https'}://${(0,image_reference/* registryApiHost */.Mb)(options.registry)}`;
        this.fetch = options.fetch ?? globalThis.fetch;
        this.timeoutMs = options.timeoutMs ?? 30_000;
    }
    /** The manifest's descriptor, or undefined when the tag or digest does not exist. */
    async headManifest(repository, reference) {
        const res = await this.send('HEAD', `/v2/${repository}/manifests/${reference}`, pull(repository), {
            headers: { accept: MANIFEST_ACCEPT },
            ok: [200, 404],
        });
        if (res.status === 404)
            return undefined;
        const digest = res.headers.get('docker-content-digest');
        if (!digest)
            return (await this.getManifest(repository, reference))?.descriptor;
        return {
            digest,
            mediaType: res.headers.get('content-type') ?? '',
            size: Number(res.headers.get('content-length') ?? 0),
        };
    }
    async getManifest(repository, reference) {
        const res = await this.send('GET', `/v2/${repository}/manifests/${reference}`, pull(repository), {
            headers: { accept: MANIFEST_ACCEPT },
            ok: [200, 404],
        });
        if (res.status === 404)
            return undefined;
        const body = Buffer.from(await res.arrayBuffer());
        const digest = sha256Digest(body);
        if (reference.startsWith('sha256:') && digest !== reference) {
            throw new RegistryError(`The manifest ${repository}@${reference} has the wrong content (${digest}).`, 502);
        }
        const json = JSON.parse(body.toString('utf8'));
        const mediaType = json.mediaType ?? res.headers.get('content-type') ?? MEDIA_TYPES.ociManifest;
        return { descriptor: { mediaType, digest, size: body.length }, body, json };
    }
    /**
     * The image config (the config blob) of a tag or digest, or undefined when there is no such image. For an
     * index, the config of the entry for `platform` (os/arch[/variant]), or of the first real platform (not
     * buildx's `unknown/unknown` attestations) when none is named.
     */
    async getImageConfig(repository, reference, platform) {
        let manifest = await this.getManifest(repository, reference);
        if (manifest?.json.manifests) {
            const entries = manifest.json.manifests.filter((m) => m.platform && m.platform.os !== 'unknown');
            const entry = platform
                ? entries.find((m) => platformName(m.platform) === platform ||
                    `${m.platform.os}/${m.platform.architecture}` === platform)
                : entries[0];
            if (!entry)
                return undefined;
            manifest = await this.getManifest(repository, entry.digest);
        }
        const config = manifest?.json.config;
        if (!config)
            return undefined;
        const blob = await this.getBlob(repository, config.digest);
        return { digest: config.digest, json: JSON.parse(blob.toString('utf8')) };
    }
    /** PUTs manifest bytes under a tag or digest and returns the digest the registry reports. */
    async putManifest(repository, reference, body, mediaType) {
        const res = await this.send('PUT', `/v2/${repository}/manifests/${reference}`, push(repository), {
            headers: { 'content-type': mediaType },
            body,
            ok: [201, 200],
        });
        return res.headers.get('docker-content-digest') ?? sha256Digest(body);
    }
    async blobExists(repository, digest) {
        const res = await this.send('HEAD', `/v2/${repository}/blobs/${digest}`, pull(repository), {
            ok: [200, 404],
        });
        return res.status === 200;
    }
    /** Cross-repository mount; false when the registry would rather have the blob uploaded. */
    async mountBlob(repository, digest, from) {
        const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
        const res = await this.send('POST', `/v2/${repository}/blobs/uploads/?${query}`, [...push(repository), ...pull(from)], { ok: [201, 202] });
        return res.status === 201;
    }
    async getBlob(repository, digest) {
        const res = await this.send('GET', `/v2/${repository}/blobs/${digest}`, pull(repository), { ok: [200] });
        const data = Buffer.from(await res.arrayBuffer());
        if (sha256Digest(data) !== digest) {
            throw new RegistryError(`The blob ${repository}@${digest} came back with different content.`, 502);
        }
        return data;
    }
    /** A monolithic upload: POST for a session, PUT the bytes with their digest. */
    async uploadBlob(repository, digest, data) {
        await retry(async () => {
            const start = await this.send('POST', `/v2/${repository}/blobs/uploads/`, push(repository), {
                ok: [202],
                retries: false,
            });
            const location = new URL(start.headers.get('location') ?? '', `${this.base}/`);
            location.searchParams.set('digest', digest);
            await this.send('PUT', location.pathname + location.search, push(repository), {
                headers: { 'content-type': 'application/octet-stream' },
                body: data,
                ok: [201],
                retries: false,
            });
        }, this.options.retry);
    }
    async listTags(repository) {
        const res = await this.send('GET', `/v2/${repository}/tags/list`, pull(repository), { ok: [200, 404] });
        if (res.status === 404)
            return [];
        return (await res.json()).tags ?? [];
    }
    async send(method, path, scopes, opts) {
        const once = async () => {
            let res = await this.attempt(method, path, scopes, opts);
            if (res.status === 401) {
                this.challenge = parseChallenge(res.headers.get('www-authenticate'));
                this.tokens.delete(scopes.join(' '));
                await res.body?.cancel();
                res = await this.attempt(method, path, scopes, opts);
                if (res.status === 401)
                    throw this.refused(res.status);
            }
            if (res.status === 403)
                throw this.refused(res.status, `${method} ${path}`);
            if (!opts.ok.includes(res.status)) {
                const text = method === 'HEAD' ? '' : (await res.text()).slice(0, 300);
                throw new RegistryError(`${this.registry} answered ${res.status} to ${method} ${path}${text ? `: ${text}` : ''}`, res.status);
            }
            return res;
        };
        return opts.retries === false ? once() : retry(once, this.options.retry);
    }
    async attempt(method, path, scopes, opts) {
        const headers = { ...opts.headers };
        const authorization = await this.authorization(scopes);
        if (authorization)
            headers.authorization = authorization;
        return this.fetch(`${this.base}${path}`, {
            method,
            headers,
            body: opts.body ? new Uint8Array(opts.body) : undefined,
            redirect: 'follow',
            signal: AbortSignal.timeout(this.timeoutMs),
        });
    }
    async authorization(scopes) {
        const { challenge } = this;
        const credentials = this.options.credentials;
        if (challenge?.scheme === 'bearer') {
            const key = scopes.join(' ');
            let token = this.tokens.get(key);
            if (!token) {
                token = await fetchBearerToken({
                    challenge,
                    scopes,
                    credentials,
                    fetch: this.fetch,
                    timeoutMs: this.timeoutMs,
                });
                this.tokens.set(key, token);
            }
            return `Bearer ${token}`;
        }
        if (challenge?.scheme === 'basic' && credentials)
            return basicAuthorization(credentials);
        return undefined;
    }
    refused(status, what) {
        const who = this.options.credentials
            ? `the credentials of "${this.options.credentials.username}"`
            : 'anonymous access (no credentials were given)';
        return new errors/* UserError */.yo(`${this.registry} refused ${who}${what ? ` for ${what}` : ''} (${status}): check the username and password (or the ECR permissions) and that they may pull and push this repository.`);
    }
}
/** `os/arch[/variant]`, as `--platform` takes it. */
const platformName = (p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/');
const pull = (repository) => [`repository:${repository}:pull`];
const push = (repository) => [`repository:${repository}:pull,push`];

;// CONCATENATED MODULE: ../../packages/shared/src/state.ts

function createStateStore() {
    return {
        save(key, value) {
            core.saveState(key, JSON.stringify(value));
        },
        get(key) {
            const raw = core.getState(key);
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

;// CONCATENATED MODULE: ../../packages/shared/src/workspace-files.ts



/** The most one file named by a path input may hold (Compose files, checks, a CA, a task definition). */
const MAX_FILE_BYTES = 8 * 2 ** 20;
/** The most a folder read whole (deploy-compose's `files`) may hold, and how many entries. */
const MAX_TREE_BYTES = (/* unused pure expression or super */ null && (100 * 2 ** 20));
const MAX_TREE_ENTRIES = 10_000;
const WHERE = "Paths (and the links in them) must stay inside the workspace or the runner's temp folder; to use a file elsewhere, give its absolute path, which is taken as meant";
/**
 * The one way every action takes a path input. Relative paths are taken from the workspace; every link is
 * resolved and the real path must stay inside the workspace, the runner's temp folder (or `roots`). A path the
 * user gives as absolute is taken as meant: it is read wherever it is, but what a folder given so holds must
 * still stay inside it. Anything not a regular file or folder (a device, pipe or socket) is refused, and every
 * file is size-capped, with an error naming the input.
 */
function checkWorkspacePath(input, path, want, options = {}) {
    const { absolute, roots, base } = place(path, options);
    const real = realPath(input, path, absolute, (0,external_node_path_.isAbsolute)(path) ? undefined : base);
    if (!(0,external_node_path_.isAbsolute)(path) && !inside(real, roots)) {
        throw new errors/* InputError */.dz(input, `Input "${input}": ${path} leads outside the workspace (to ${real}). ${WHERE}.`);
    }
    return { real, kind: kindOf(input, path, real, want, options.maxBytes ?? MAX_FILE_BYTES) };
}
/** A file named by a path input, read whole (at most `maxBytes`), after `checkWorkspacePath`. */
function readWorkspaceFile(input, path, options = {}) {
    const { real } = checkWorkspacePath(input, path, 'file', options);
    return readCapped(input, path, real, options.maxBytes ?? MAX_FILE_BYTES);
}
/** `readWorkspaceFile` as UTF-8 text. */
function readWorkspaceText(input, path, options = {}) {
    return readWorkspaceFile(input, path, options).toString('utf8');
}
/**
 * A file, or a folder with everything in it (links followed while they stay inside the workspace, the temp
 * folder, `roots` or the folder named), every file read, in a stable order, within the size and entry caps.
 */
function readWorkspaceTree(input, path, options = {}) {
    const top = checkWorkspacePath(input, path, 'any', options);
    const maxBytes = options.maxBytes ?? MAX_TREE_BYTES;
    if (top.kind === 'file')
        return [{ path: '', content: readCapped(input, path, top.real, maxBytes) }];
    const { roots } = place(path, options);
    // A folder given by absolute path is taken as meant, with what is in it.
    const allowed = isAbsolute(path) ? [...roots, top.real] : roots;
    const maxTotal = options.maxTotalBytes ?? MAX_TREE_BYTES;
    const maxEntries = options.maxEntries ?? MAX_TREE_ENTRIES;
    const files = [];
    let total = 0;
    let entries = 0;
    const walk = (dir, rel, chain) => {
        for (const entry of sortedEntries(input, `${path}/${rel}`, dir)) {
            const sub = rel ? `${rel}/${entry.name}` : entry.name;
            const shown = posix.join(path, sub);
            if (++entries > maxEntries) {
                throw new InputError(input, `Input "${input}": ${path} holds more than ${maxEntries} files and folders.`);
            }
            const real = entry.isSymbolicLink()
                ? realPath(input, shown, join(dir, entry.name))
                : join(dir, entry.name);
            if (!inside(real, allowed)) {
                throw new InputError(input, `Input "${input}": ${shown} is a link leading outside (to ${real}). ${WHERE}.`);
            }
            const kind = kindOf(input, shown, real, 'any', maxBytes);
            if (kind === 'folder') {
                if (chain.includes(real) || chain.length > 32) {
                    throw new InputError(input, `Input "${input}": ${shown} is a link loop (it leads back to ${real}).`);
                }
                walk(real, sub, [...chain, real]);
                continue;
            }
            const content = readCapped(input, shown, real, maxBytes);
            total += content.length;
            if (total > maxTotal) {
                throw new InputError(input, `Input "${input}": the files under ${path} hold more than ${formatBytes(maxTotal)} together; upload large files another way (an image, a volume).`);
            }
            files.push({ path: sub, content });
        }
    };
    walk(top.real, '', [top.real]);
    return files;
}
function place(path, options) {
    const workspace = options.workspace ?? process.env.GITHUB_WORKSPACE ?? process.cwd();
    const temp = options.temp ?? process.env.RUNNER_TEMP;
    const roots = [workspace, temp, ...(options.roots ?? [])]
        .filter((r) => Boolean(r))
        .flatMap((r) => {
        try {
            return [(0,external_node_fs_.realpathSync)(r)];
        }
        catch {
            return [];
        }
    });
    const base = options.base ?? workspace;
    return { absolute: (0,external_node_path_.resolve)(base, path), roots, base };
}
function inside(real, roots) {
    return roots.some((root) => real === root || real.startsWith(root.endsWith(external_node_path_.sep) ? root : `${root}${external_node_path_.sep}`));
}
function realPath(input, shown, absolute, base) {
    try {
        return (0,external_node_fs_.realpathSync)(absolute);
    }
    catch (error) {
        const code = error.code;
        const broken = code === 'ENOENT' && (0,external_node_fs_.lstatSync)(absolute, { throwIfNoEntry: false })?.isSymbolicLink();
        const what = broken
            ? 'is a link to nothing'
            : code === 'ENOENT' || code === 'ENOTDIR'
                ? `does not exist${base ? ` in ${base}` : ''}`
                : code === 'ELOOP'
                    ? 'is a link loop'
                    : `cannot be read (${code ?? error.message})`;
        throw new errors/* InputError */.dz(input, `Input "${input}": ${shown} ${what}.`);
    }
}
function kindOf(input, shown, real, want, maxBytes) {
    const stat = (0,external_node_fs_.statSync)(real);
    const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : undefined;
    if (!kind) {
        throw new errors/* InputError */.dz(input, `Input "${input}": ${shown} is not a regular file or folder (${real} is a device, pipe or socket).`);
    }
    if (want !== 'any' && kind !== want) {
        throw new errors/* InputError */.dz(input, `Input "${input}": ${shown} is a ${kind}, not a ${want}.`);
    }
    if (kind === 'file' && stat.size > maxBytes)
        tooLarge(input, shown, maxBytes);
    return kind;
}
/** Reads at most `maxBytes` through one descriptor that is checked to be a regular file: no device, no growth. */
function readCapped(input, shown, real, maxBytes) {
    // O_NONBLOCK: opening a pipe swapped in since the check must not hang; O_NOFOLLOW: nor a link swapped in.
    const fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
        if (!fstatSync(fd).isFile()) {
            throw new InputError(input, `Input "${input}": ${shown} is not a regular file.`);
        }
        const chunks = [];
        let size = 0;
        for (;;) {
            const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - size));
            const n = readSync(fd, chunk, 0, chunk.length, null);
            if (n === 0)
                break;
            chunks.push(chunk.subarray(0, n));
            size += n;
            if (size > maxBytes)
                tooLarge(input, shown, maxBytes);
        }
        return Buffer.concat(chunks, size);
    }
    finally {
        closeSync(fd);
    }
}
function tooLarge(input, shown, maxBytes) {
    throw new errors/* InputError */.dz(input, `Input "${input}": ${shown} is larger than ${formatBytes(maxBytes)}, the most it may be.`);
}
function sortedEntries(input, shown, dir) {
    try {
        return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    }
    catch (error) {
        throw new InputError(input, `Input "${input}": ${shown} cannot be listed (${error.message}).`);
    }
}
function formatBytes(bytes) {
    return bytes >= 2 ** 20 ? `${bytes / 2 ** 20} MiB` : `${bytes} bytes`;
}

// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(149);
;// CONCATENATED MODULE: ../../packages/shared/src/aws/ecr-auth.ts



const ECR_HOST = /^(\d{12})\.dkr[.-]ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws|sc2s\.sgov\.gov|c2s\.ic\.gov)$/;
/** The account and region of an Amazon ECR registry host, or undefined for any other registry. */
function parseEcrHost(registry) {
    const match = ECR_HOST.exec(registry.toLowerCase().replace(/:\d+$/, ''));
    return match ? { accountId: match[1], region: match[2] } : undefined;
}
/**
 * Registry credentials from ECR's GetAuthorizationToken, with the SDK's default credential chain (so
 * configure-aws-credentials with OIDC just works). The token is base64 `user:password`; both parts are used,
 * and the password and the token are registered as secrets before anything can print them.
 */
async function getEcrCredentials(options = {}) {
    const client = options.client ??
        new dist_cjs/* ECRClient */.S70({
            ...(options.region ? { region: options.region } : {}),
            ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        });
    const registryIds = options.registryIds?.length ? options.registryIds : undefined;
    const out = await client.send(new dist_cjs/* GetAuthorizationTokenCommand */.Eu6({ registryIds }));
    const data = out.authorizationData ?? [];
    if (data.length === 0)
        throw new errors/* UserError */.yo('ECR GetAuthorizationToken returned no authorization data.');
    return data.map((item) => {
        (0,secrets/* registerSecret */.cl)(item.authorizationToken);
        const decoded = Buffer.from(item.authorizationToken ?? '', 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon <= 0 || !item.proxyEndpoint) {
            throw new errors/* UserError */.yo('ECR returned an authorization token that is not base64 "user:password".');
        }
        const password = decoded.slice(colon + 1);
        (0,secrets/* registerSecret */.cl)(password);
        return {
            registry: item.proxyEndpoint.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, ''),
            proxyEndpoint: item.proxyEndpoint,
            username: decoded.slice(0, colon),
            password,
            expiresAt: item.expiresAt,
        };
    });
}

;// CONCATENATED MODULE: ../../packages/shared/src/registry/copy-image.ts

/**
 * Tags an existing image without pulling or rebuilding it: the manifest's exact bytes are PUT under each tag
 * (so the digest cannot change), after every blob and child manifest it refers to is present in the target
 * repository: mounted across repositories on the same registry, copied between registries otherwise.
 * Each tag is then read back with a HEAD and must give the source digest.
 */
async function copyImage(options) {
    const { source, target } = options;
    const manifest = await source.client.getManifest(source.repository, source.digest);
    if (!manifest) {
        throw new RegistryError(`${source.client.registry}/${source.repository}@${source.digest} does not exist.`, 404);
    }
    const sameRepository = source.client.registry === target.client.registry && source.repository === target.repository;
    if (!sameRepository)
        await ensureContent(manifest, options);
    for (const tag of options.tags) {
        const digest = await target.client.putManifest(target.repository, tag, manifest.body, manifest.descriptor.mediaType);
        if (digest !== source.digest) {
            throw new RegistryError(`${target.repository}:${tag} was stored as ${digest}, not ${source.digest}.`, 502);
        }
    }
    await verifyTags(target, options.tags, source.digest);
    return { digest: source.digest, mediaType: manifest.descriptor.mediaType, tags: [...options.tags] };
}
/** Reads each tag back (manifest HEAD) and fails unless it resolves to `digest`. */
async function verifyTags(location, tags, digest) {
    for (const tag of tags) {
        const found = await location.client.headManifest(location.repository, tag);
        if (found?.digest !== digest) {
            throw new RegistryError(`${location.client.registry}/${location.repository}:${tag} resolves to ${found?.digest ?? 'nothing'}, expected ${digest}.`, 409);
        }
    }
}
async function ensureContent(manifest, options) {
    const { source, target } = options;
    for (const child of manifest.json.manifests ?? []) {
        if (await target.client.headManifest(target.repository, child.digest))
            continue;
        const childManifest = await source.client.getManifest(source.repository, child.digest);
        if (!childManifest) {
            throw new RegistryError(`The index refers to ${child.digest}, which the source registry lacks.`, 404);
        }
        await ensureContent(childManifest, options);
        await target.client.putManifest(target.repository, child.digest, childManifest.body, child.mediaType);
    }
    // foreign (non-distributable) layers live elsewhere by definition: registries never hold them
    const blobs = [
        ...(manifest.json.config ? [manifest.json.config] : []),
        ...(manifest.json.layers ?? []),
    ];
    for (const blob of blobs) {
        if (!blob.urls?.length)
            await ensureBlob(blob.digest, options);
    }
}
async function ensureBlob(digest, options) {
    const { source, target } = options;
    if (await target.client.blobExists(target.repository, digest)) {
        options.onBlob?.(digest, 'present');
        return;
    }
    if (source.client.registry === target.client.registry) {
        if (await target.client.mountBlob(target.repository, digest, source.repository)) {
            options.onBlob?.(digest, 'mounted');
            return;
        }
    }
    const data = await source.client.getBlob(source.repository, digest);
    await target.client.uploadBlob(target.repository, digest, data);
    options.onBlob?.(digest, 'copied');
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
    await core.summary.addRaw((0,secrets/* maskSecrets */.QU)(markdown), true).write();
}
/** Runs `fn` inside a collapsible log group named consistently across the suite: `<action>: <what>`. */
function logGroup(name, fn) {
    return core.group(name, fn);
}

;// CONCATENATED MODULE: ./src/build-command.ts

const SECRET_NAME = /(^|_)(TOKEN|PASSWORD|PASSWD|PASS|SECRET|KEY|APIKEY|CREDENTIALS?|AUTH)(_|$)/i;
/** Build-arg names that look like secrets: build args are stored in the image's history for anyone to read. */
function secretLookingArgs(buildArgs) {
    return buildArgs.map(([name]) => name).filter((name) => SECRET_NAME.test(name));
}
/**
 * The `docker buildx build` or `docker build` command for a spec. buildx loads a single-platform image into
 * the local store, and writes a multi-platform one to an OCI archive (both scanned before anything is
 * pushed), or pushes it itself when there is no scan; BuildKit secrets go by environment variable,
 * never as build args; cache exports carry ignore-error=true so a failed export only warns.
 */
function buildCommand(spec, builder) {
    const warnings = secretLookingArgs(spec.buildArgs).map((name) => `Build arg "${name}" looks like a secret. Build args are stored in the image history where anyone who can pull the image reads them; pass it in "secrets" and mount it with RUN --mount=type=secret,id=${name}.`);
    const common = ['--iidfile', spec.iidFile];
    if (spec.file)
        common.push('--file', spec.file);
    if (spec.target)
        common.push('--target', spec.target);
    for (const [k, v] of spec.buildArgs)
        common.push('--build-arg', `${k}=${v}`);
    for (const [k, v] of spec.labels)
        common.push('--label', `${k}=${v}`);
    if (spec.pull)
        common.push('--pull');
    if (spec.noCache)
        common.push('--no-cache');
    for (const tag of spec.tags)
        common.push('--tag', tag);
    const env = {};
    if (builder === 'docker') {
        if (spec.secrets.length) {
            throw new errors/* UserError */.yo('Input "secrets" needs BuildKit, which comes with docker buildx, and buildx is not installed on this runner. Add docker/setup-buildx-action before this step.');
        }
        if (spec.platforms.length > 1) {
            throw new errors/* UserError */.yo(`Input "platforms" lists ${spec.platforms.length} platforms; building several at once needs docker buildx, which is not installed. Add docker/setup-buildx-action before this step.`);
        }
        if (spec.platforms.length === 1)
            common.push('--platform', spec.platforms[0]);
        for (const from of spec.cacheFrom) {
            const ref = classicCacheRef(from);
            if (ref)
                common.push('--cache-from', ref);
            else
                warnings.push(`cache-from "${from}" needs docker buildx; ignored.`);
        }
        if (spec.cacheTo.length)
            warnings.push('cache-to needs docker buildx, which is not installed; no cache was exported.');
        env.DOCKER_BUILDKIT = '0';
        return { args: ['build', ...common, spec.context], env, output: 'load', warnings };
    }
    const args = ['buildx', 'build', ...common];
    if (spec.platforms.length)
        args.push('--platform', spec.platforms.join(','));
    for (const from of spec.cacheFrom)
        args.push('--cache-from', from);
    for (const to of spec.cacheTo)
        args.push('--cache-to', /(^|,)ignore-error=/.test(to) ? to : `${to},ignore-error=true`);
    spec.secrets.forEach(([id, value], i) => {
        const name = `SLIPWAY_BUILD_SECRET_${i}`;
        env[name] = value;
        args.push('--secret', `id=${id},env=${name}`);
    });
    let output = 'load';
    if (spec.platforms.length > 1)
        output = spec.ociArchive ? 'oci' : 'push';
    if (output === 'load')
        args.push('--load');
    if (output === 'oci')
        args.push('--output', `type=oci,dest=${spec.ociArchive}`);
    if (output === 'push')
        args.push('--push', '--metadata-file', spec.metadataFile);
    args.push(spec.context);
    return { args, env, output, warnings };
}
/** `type=registry,ref=x` or a plain image reference, as the classic builder takes only images. */
function classicCacheRef(from) {
    if (!from.includes('='))
        return from;
    const fields = Object.fromEntries(from.split(',').map((kv) => kv.split('=', 2)));
    return fields.type === 'registry' && fields.ref ? fields.ref : undefined;
}

;// CONCATENATED MODULE: ./src/oci-layout.ts



/**
 * Pushes an OCI image layout (what `docker buildx build --output type=oci` writes) through the registry API:
 * every blob and child manifest first, then the top manifest under each tag, byte for byte, so the digest
 * pushed is the digest of what was built and scanned. Returns that digest.
 */
async function pushOciLayout(layout, registry, repository, tags) {
    const top = topDescriptor(layout);
    const body = await pushTree(layout, registry, repository, top);
    for (const tag of tags)
        await registry.putManifest(repository, tag, body, top.mediaType);
    return top;
}
/** The one image an OCI layout holds (its index.json entry). */
function topDescriptor(layout) {
    const index = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(layout, 'index.json'), 'utf8'));
    if (index.manifests?.length !== 1) {
        throw new Error(`The OCI layout ${layout} holds ${index.manifests?.length ?? 0} images; expected exactly one.`);
    }
    return index.manifests[0];
}
async function pushTree(layout, registry, repository, node) {
    const body = readBlob(layout, node.digest);
    const json = JSON.parse(body.toString('utf8'));
    for (const child of json.manifests ?? []) {
        const childBody = await pushTree(layout, registry, repository, child);
        await registry.putManifest(repository, child.digest, childBody, child.mediaType);
    }
    for (const blob of [...(json.config ? [json.config] : []), ...(json.layers ?? [])]) {
        if (await registry.blobExists(repository, blob.digest))
            continue;
        await registry.uploadBlob(repository, blob.digest, readBlob(layout, blob.digest));
    }
    return body;
}
function readBlob(layout, digest) {
    const [algorithm, hex] = digest.split(':');
    const path = (0,external_node_path_.join)(layout, 'blobs', algorithm, hex);
    if (!(0,external_node_fs_.existsSync)(path))
        throw new Error(`The OCI layout ${layout} lacks ${digest}.`);
    const data = (0,external_node_fs_.readFileSync)(path);
    if (sha256Digest(data) !== digest)
        throw new Error(`The OCI layout's blob ${digest} does not match its digest.`);
    return data;
}
/**
 * The reverse of `pushOciLayout`: writes an image from the registry (a manifest or an index with its platform
 * manifests) into an OCI image layout folder, blob by blob, so it can be scanned as a built archive is.
 */
async function pullOciLayout(registry, repository, digest, layout) {
    const put = (data, digestOf) => {
        const [algorithm, hex] = digestOf.split(':');
        (0,external_node_fs_.mkdirSync)((0,external_node_path_.join)(layout, 'blobs', algorithm), { recursive: true });
        (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(layout, 'blobs', algorithm, hex), data);
    };
    const pullTree = async (reference) => {
        const manifest = await registry.getManifest(repository, reference);
        if (!manifest)
            throw new Error(`${registry.registry}/${repository}@${reference} does not exist.`);
        for (const child of manifest.json.manifests ?? [])
            await pullTree(child.digest);
        for (const blob of [
            ...(manifest.json.config ? [manifest.json.config] : []),
            ...(manifest.json.layers ?? []),
        ])
            put(await registry.getBlob(repository, blob.digest), blob.digest);
        put(manifest.body, manifest.descriptor.digest);
        return manifest.descriptor;
    };
    const top = await pullTree(digest);
    (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(layout, 'index.json'), JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: top.mediaType, digest: top.digest, size: top.size }],
    }));
}

;// CONCATENATED MODULE: ./src/outputs.ts


function setScanOutputs(scan) {
    core.setOutput('scan-result', scan.result);
    core.setOutput('vulnerabilities', scan.report ? JSON.stringify(scan.report.counts) : '{}');
    core.setOutput('json-file', scan.jsonFile ?? '');
    core.setOutput('sarif-file', scan.sarifFile ?? '');
}
/** Every output and the job summary of a run that ended with an image in the registry (or built only). */
async function publish(p) {
    const imageRef = p.pushed ? `${p.repository}@${p.digest}` : '';
    const refs = p.tags.map((t) => `${p.repository}:${t}`);
    core.setOutput('image', p.repository);
    core.setOutput('digest', p.digest);
    core.setOutput('image-ref', imageRef);
    core.setOutput('image-id', p.imageId ?? '');
    core.setOutput('tags', refs.join('\n'));
    setScanOutputs(p.scan);
    const counts = p.scan.report?.counts;
    core.setOutput('metadata', JSON.stringify({
        image: p.repository,
        digest: p.digest,
        imageRef,
        ...(p.imageId ? { imageId: p.imageId } : {}),
        pushed: p.pushed,
        tags: refs,
        labels: Object.fromEntries(p.labels),
        how: p.how,
        ...(p.source ? { source: p.source } : {}),
        scan: { result: p.scan.result, ...(counts ? { vulnerabilities: counts } : {}) },
    }));
    const verb = !p.pushed
        ? 'Built, not pushed (push: false)'
        : {
            built: 'Built and pushed',
            reused: 'Reused (already in the registry, build skipped)',
            promoted: 'Promoted without rebuilding',
        }[p.how];
    const shown = imageRef || `${p.repository} (${p.imageId ?? 'not loaded'})`;
    if (p.pushed)
        core.info(`${verb}: ${imageRef}`);
    else
        core.notice(`"push" is false: nothing was pushed, so "image-ref" and "digest" are empty. The image was built${p.scan.result === 'skipped' ? '' : ' and scanned'}: image-id ${p.imageId ?? '(none)'}.`);
    await appendSummary([
        `### ${verb}`,
        '',
        markdownTable(['', ''], [['image', shown], ...(p.source ? [['from', p.source]] : []), ['tags', p.tags.join(', ')]]),
        '',
    ].join('\n'));
}

// EXTERNAL MODULE: ./src/scan/trivy-report.ts
var trivy_report = __webpack_require__(1417);
;// CONCATENATED MODULE: ./src/scan/scan-summary.ts


const TOP = 10;
/** The job-summary section of a scan: counts per severity, the gate's verdict, the top findings with fixes. */
function scanSummary(report, image, failOn, failed) {
    const counts = markdownTable([...trivy_report/* SEVERITIES */.oC].reverse(), [
        [...trivy_report/* SEVERITIES */.oC].reverse().map((s) => String(report.counts[s])),
    ]);
    const gate = failOn === 'none'
        ? 'No gate (`fail-on: none`).'
        : failed.length
            ? `**Refused**: ${failed.length} finding(s) at ${failOn} or above; nothing was pushed.`
            : `Passed the gate (nothing at ${failOn} or above).`;
    const lines = [`### Vulnerability scan of \`${escapeHtml(image)}\``, '', counts, '', gate];
    if (report.suppressed)
        lines.push('', `${report.suppressed} finding(s) suppressed by VEX or ignore rules.`);
    if (report.findings.length) {
        const rows = report.findings
            .slice(0, TOP)
            .map((f) => [
            f.url ? `[${f.id}](${f.url})` : f.id,
            f.severity,
            [...new Set(f.packages.map((p) => `${p.name} ${p.installed}`))].join(', '),
            f.fixedVersions.join(', ') || (f.statuses.length ? `no fix (${f.statuses.join(', ')})` : 'no fix'),
        ]);
        lines.push('', markdownTable(['vulnerability', 'severity', 'packages', 'fixed in'], rows));
        if (report.findings.length > TOP)
            lines.push('', `... and ${report.findings.length - TOP} more in the JSON and SARIF reports.`);
    }
    return `${lines.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./src/scan/trivy-checksums.ts
/**
 * The pinned Trivy release and the SHA-256 list of its archives, shipped inside the action so a download is
 * checked against what was reviewed, never against a checksum file fetched next to it (which whoever
 * tampered with the archive could change too). 0.69.3 is the last release before the supply-chain incident in
 * which later trivy releases were reported compromised; bump both together after reviewing a release.
 * Format: the release's own trivy_<version>_checksums.txt (`<sha256>  <file>`).
 */
const TRIVY_VERSION = '0.69.3';
const TRIVY_CHECKSUMS = `
1816b632dfe529869c740c0913e36bd1629cb7688bd5634f4a858c1d57c88b75  trivy_0.69.3_Linux-64bit.tar.gz
7e3924a974e912e57b4a99f65ece7931f8079584dae12eb7845024f97087bdfd  trivy_0.69.3_Linux-ARM64.tar.gz
fec4a9f7569b624dd9d044fca019e5da69e032700edbb1d7318972c448ec2f4e  trivy_0.69.3_macOS-64bit.tar.gz
a2f2179afd4f8bb265ca3c7aefb56a666bc4a9a411663bc0f22c3549fbc643a5  trivy_0.69.3_macOS-ARM64.tar.gz
`;

// EXTERNAL MODULE: ../../node_modules/@actions/tool-cache/lib/tool-cache.js
var tool_cache = __webpack_require__(532);
;// CONCATENATED MODULE: ./src/scan/trivy-install.ts






const OS = { linux: 'Linux', darwin: 'macOS' };
const ARCH = { x64: '64bit', arm64: 'ARM64' };
/** The release asset for this machine, e.g. trivy_0.69.3_Linux-64bit.tar.gz. */
function trivyAsset(version, platform, arch) {
    const os = OS[platform];
    const cpu = ARCH[arch];
    if (!os || !cpu) {
        throw new errors/* UserError */.yo(`Trivy is installed for Linux and macOS on x64 and arm64 runners; this runner is ${platform}/${arch}. Set "scan: false" to build without scanning.`);
    }
    return `trivy_${version}_${os}-${cpu}.tar.gz`;
}
function parseChecksums(text) {
    const sums = new Map();
    for (const line of text.split(/\r?\n/)) {
        const match = /^([a-f0-9]{64})\s+\*?(\S+)$/.exec(line.trim());
        if (match)
            sums.set(match[2], match[1]);
    }
    return sums;
}
/**
 * Installs Trivy through the tool cache: found there, it is used as is; otherwise the archive is downloaded
 * (retried), its SHA-256 compared with the shipped list (refused and deleted on mismatch), extracted, cached.
 * Returns the path of the trivy executable.
 */
async function installTrivy(options) {
    const platform = options.platform ?? process.platform;
    const arch = options.arch ?? process.arch;
    const asset = trivyAsset(options.version, platform, arch);
    const cached = tool_cache.find('trivy', options.version, arch);
    if (cached) {
        core.info(`Trivy ${options.version} found in the tool cache.`);
        return (0,external_node_path_.join)(cached, 'trivy');
    }
    const expected = parseChecksums(options.checksums).get(asset);
    if (!expected) {
        throw new errors/* UserError */.yo(`No SHA-256 for ${asset} is shipped with this action, so it will not be installed. Use a Trivy version this release of the action pins.`);
    }
    const url = `${options.baseUrl}/v${options.version}/${asset}`;
    core.info(`Downloading ${url}`);
    const archive = await retry(() => tool_cache.downloadTool(url), {
        attempts: 3,
        baseDelayMs: options.retryDelayMs ?? 2000,
    });
    const actual = await sha256File(archive);
    if (actual !== expected) {
        (0,external_node_fs_.rmSync)(archive, { force: true });
        throw new errors/* UserError */.yo(`Refusing ${url}: its SHA-256 is ${actual}, but the checksum shipped with this action for ${asset} is ${expected}. The download was changed or corrupted; nothing was installed.`);
    }
    const extracted = await tool_cache.extractTar(archive);
    (0,external_node_fs_.rmSync)(archive, { force: true });
    const dir = await tool_cache.cacheDir(extracted, 'trivy', options.version, arch);
    (0,external_node_fs_.rmSync)(extracted, { recursive: true, force: true });
    core.info(`Trivy ${options.version} installed (SHA-256 verified).`);
    return (0,external_node_path_.join)(dir, 'trivy');
}
function sha256File(path) {
    return new Promise((resolve, reject) => {
        const hash = (0,external_node_crypto_.createHash)('sha256');
        (0,external_node_fs_.createReadStream)(path)
            .on('data', (chunk) => hash.update(chunk))
            .on('error', reject)
            .on('end', () => resolve(hash.digest('hex')));
    });
}

;// CONCATENATED MODULE: ./src/scan/trivy-scan.ts





/** Downloads (or refreshes) the vulnerability DB, retrying each mirror, then the next one. */
async function downloadTrivyDb(options) {
    const failures = [];
    for (const repository of options.dbRepositories) {
        try {
            await retry(() => options.runner.run(options.trivy, [
                'image',
                '--download-db-only',
                '--db-repository',
                repository,
                '--cache-dir',
                options.cacheDir,
                '--no-progress',
            ], { quiet: true }), { attempts: 2, ...options.retry, retryable: () => true });
            core.info(`Trivy vulnerability DB ready (from ${repository}).`);
            return;
        }
        catch (error) {
            const reason = error.message.split('\n').slice(-1)[0];
            failures.push(`${repository}: ${reason}`);
            core.warning(`Could not download the Trivy DB from ${repository}; trying the next mirror. ${reason}`);
        }
    }
    throw new errors/* UserError */.yo(`The Trivy vulnerability DB could not be downloaded from any mirror (${failures.join('; ')}). Set "trivy-db-repositories" to a reachable mirror, or "scan: false".`);
}
/**
 * One scan of what is about to be pushed: the JSON report (for several platforms, one per platform merged into
 * one, each finding's target naming its platform), then the SARIF converted from that same report.
 */
async function scanImage(options, targets) {
    await downloadTrivyDb(options);
    const jsonFile = (0,external_node_path_.join)(options.outputDir, 'trivy-results.json');
    const sarifFile = (0,external_node_path_.join)(options.outputDir, 'trivy-results.sarif');
    if (targets.length === 1) {
        await options.runner.run(options.trivy, scanArgs(options, targets[0], jsonFile));
    }
    else {
        const parts = [];
        for (const target of targets) {
            const label = 'platform' in target ? target.platform : target.image;
            const file = (0,external_node_path_.join)(options.outputDir, `trivy-results-${label.replace(/[^A-Za-z0-9.-]+/g, '-')}.json`);
            await options.runner.run(options.trivy, scanArgs(options, target, file));
            parts.push({ label, text: (0,external_node_fs_.readFileSync)(file, 'utf8') });
        }
        (0,external_node_fs_.writeFileSync)(jsonFile, (0,trivy_report/* mergeReports */.C1)(parts));
    }
    await options.runner.run(options.trivy, ['convert', '--format', 'sarif', '--output', sarifFile, jsonFile], {
        quiet: true,
    });
    const report = (0,trivy_report/* parseTrivyReport */.Qg)((0,external_node_fs_.readFileSync)(jsonFile, 'utf8'));
    return { report, jsonFile, sarifFile };
}
function scanArgs(options, target, output) {
    const args = [
        'image',
        '--format',
        'json',
        '--output',
        output,
        '--scanners',
        'vuln',
        '--severity',
        options.severity.join(','),
        '--exit-code',
        '0',
        '--skip-db-update',
        // not --skip-java-db-update: Trivy refuses it while the cache has no Java DB, and fetches that DB (about
        // 700 MB) only when the image has JAR files, into the same cache, from these mirrors in order
        '--java-db-repository',
        options.javaDbRepositories.join(','),
        '--cache-dir',
        options.cacheDir,
        '--no-progress',
    ];
    if (options.ignoreUnfixed)
        args.push('--ignore-unfixed');
    if (options.ignoreFile)
        args.push('--ignorefile', options.ignoreFile);
    if ('image' in target)
        args.push('--image-src', 'docker', target.image);
    else
        args.push('--platform', target.platform, '--input', target.input);
    return args;
}

;// CONCATENATED MODULE: ./src/scan/scan-gate.ts









const defaultScanDeps = (runner, env) => ({
    runner,
    installTrivy: installTrivy,
    cacheDir: `${env.RUNNER_TOOL_CACHE || `${env.HOME ?? '/tmp'}/.cache`}/trivy-db`,
});
/**
 * Scans the local image once and writes every result (JSON, SARIF, summary, outputs) before the gate decides,
 * so a refused image still leaves its full report. Throws a UserError when the gate refuses.
 */
async function scanAndGate(inputs, targets, label, deps) {
    const trivy = await deps.installTrivy({
        version: TRIVY_VERSION,
        baseUrl: inputs.trivyDownloadUrl,
        checksums: TRIVY_CHECKSUMS,
    });
    (0,external_node_fs_.mkdirSync)(deps.outputDir, { recursive: true });
    (0,external_node_fs_.mkdirSync)(deps.cacheDir, { recursive: true });
    const outcome = await scanImage({
        trivy,
        severity: inputs.severity,
        ignoreUnfixed: inputs.ignoreUnfixed,
        ignoreFile: inputs.ignoreFile,
        dbRepositories: inputs.trivyDbRepositories,
        javaDbRepositories: inputs.trivyJavaDbRepositories,
        cacheDir: deps.cacheDir,
        outputDir: deps.outputDir,
        runner: deps.runner,
        retry: deps.retry,
    }, targets);
    const failed = inputs.failOn === 'none' ? [] : (0,trivy_report/* atOrAbove */.kU)(outcome.report, inputs.failOn);
    const result = failed.length ? 'failed' : 'passed';
    setScanOutputs({ result, ...outcome });
    await appendSummary(scanSummary(outcome.report, label, inputs.failOn, failed));
    const counts = Object.entries(outcome.report.counts)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ');
    core.info(`Scan of ${label}: ${counts}.`);
    if (failed.length) {
        const ids = failed
            .slice(0, 5)
            .map((f) => f.id)
            .join(', ');
        throw new errors/* UserError */.yo(`The image was not pushed: ${failed.length} vulnerabilit${failed.length === 1 ? 'y' : 'ies'} at ${inputs.failOn} or above (${ids}${failed.length > 5 ? ', ...' : ''}). Fix them (see the job summary and ${outcome.jsonFile}), ignore accepted ones in "ignore-file", or raise "fail-on".`);
    }
    return { result, ...outcome };
}

;// CONCATENATED MODULE: ./src/build-image.ts







/**
 * Builds the image into the local store (several platforms: into an OCI archive), scans it, then pushes
 * exactly it: every tag must still be the built image ID when pushed, and afterwards every tag must resolve in
 * the registry to one digest whose config is that image. Nothing is pushed when the scan refuses it, nor ever
 * with `push: false` (the build and the scan gate are the same; the registry is never contacted).
 * `login` runs once the build command is known to be possible, so a refused combination has no side effect.
 */
async function buildScanPush(inputs, tags, labels, deps) {
    const repository = `${inputs.image.registry}/${inputs.image.repository}`;
    const refs = tags.map((t) => `${repository}:${t}`);
    const work = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(deps.tempDir, 'build-push-'));
    try {
        const builder = (await deps.docker.hasBuildx()) ? 'buildx' : 'docker';
        const spec = {
            context: inputs.context,
            file: inputs.file,
            target: inputs.target,
            buildArgs: inputs.buildArgs,
            secrets: inputs.secrets,
            platforms: inputs.platforms,
            cacheFrom: inputs.cacheFrom,
            cacheTo: inputs.cacheTo,
            labels,
            pull: inputs.pull,
            noCache: inputs.noCache,
            tags: refs,
            iidFile: (0,external_node_path_.join)(work, 'iid'),
            metadataFile: (0,external_node_path_.join)(work, 'metadata.json'),
        };
        // without a scan buildx pushes a multi-platform build itself; with push: false it must never push
        if (builder === 'buildx' && inputs.platforms.length > 1 && (inputs.scan || !inputs.push))
            spec.ociArchive = (0,external_node_path_.join)(work, 'image.tar');
        const command = buildCommand(spec, builder);
        if (builder === 'buildx' && inputs.platforms.length > 1)
            await checkMultiPlatform(deps.docker, inputs.platforms);
        await deps.login();
        await logGroup(`build-push: build with ${builder === 'buildx' ? 'docker buildx' : 'docker build'}`, () => runBuild(deps.docker, spec, builder));
        if (command.output === 'push')
            return await verifyBuildxPush(inputs, tags, labels, spec.metadataFile, deps);
        if (command.output === 'oci')
            return await scanPushArchive(inputs, tags, labels, spec.ociArchive, work, deps);
        // The daemon's own ID for the tag, not the iidfile: what buildx writes there differs between drivers,
        // versions and image stores (config digest vs manifest digest), while `docker image inspect` is what
        // every later check compares with.
        const imageId = await deps.docker.imageId(refs[0]);
        if (!imageId)
            throw new Error(`The build finished but ${refs[0]} is not in the local image store.`);
        core.info(`Built ${imageId}`);
        const scan = inputs.scan
            ? await logGroup('build-push: scan', () => scanAndGate(inputs, [{ image: refs[0] }], refs[0], deps.scan))
            : { result: 'skipped' };
        if (!inputs.push)
            return { repository, digest: '', pushed: false, imageId, tags, labels, how: 'built', scan };
        await logGroup('build-push: push', async () => {
            for (const ref of refs) {
                const id = await deps.docker.imageId(ref);
                if (id !== imageId) {
                    throw new errors/* UserError */.yo(`${ref} is ${id ?? 'missing'} now, not the built and scanned ${imageId}; it was retagged during the run. Nothing more was pushed.`);
                }
                await deps.docker.push(ref, deps.pushRetry);
            }
        });
        const digest = await verifyPushed(deps.registry, inputs.image.repository, tags, imageId);
        return { repository, digest, pushed: true, imageId, tags, labels, how: 'built', scan };
    }
    finally {
        (0,external_node_fs_.rmSync)(work, { recursive: true, force: true });
    }
}
/**
 * Several platforms need a builder that can hold them: buildx's `docker` driver (the default builder) cannot,
 * unless the daemon keeps its images in containerd. Refused before any login or build; a builder buildx cannot
 * describe is left to buildx, which says why itself.
 */
async function checkMultiPlatform(docker, platforms) {
    const builder = await docker.buildxBuilder();
    if (builder?.driver !== 'docker' || (await docker.containerdImageStore()))
        return;
    throw new errors/* UserError */.yo(`Input "platforms" lists ${platforms.length} platforms, but the buildx builder "${builder.name}" uses the docker driver, which builds one platform at a time (unless Docker keeps its images in containerd). Create a builder with the docker-container driver before this step (docker/setup-buildx-action does), or build one platform per step.`);
}
/**
 * Runs the build. A cache export must never fail it: buildx is told to ignore export errors, and where it
 * refuses a cache export outright (the docker driver has none), the build runs again without cache-to.
 */
async function runBuild(docker, spec, builder) {
    const command = buildCommand(spec, builder);
    for (const warning of command.warnings)
        core.warning(warning);
    try {
        await docker.run(command.args, command.env);
    }
    catch (error) {
        const stderr = error instanceof errors/* CommandError */.Qd ? error.stderr : '';
        if (!spec.cacheTo.length || !/cache export|exporting cache|export cache/i.test(stderr))
            throw error;
        core.warning(`The cache export failed, so the image is built again without cache-to: ${stderr.trim().split('\n').pop()}`);
        await docker.run(buildCommand({ ...spec, cacheTo: [] }, builder).args, command.env);
    }
}
/**
 * Confirms the push with the registry itself: the first tag's manifest HEAD gives the digest, every tag must
 * give the same, and the manifest's config must be the image that was built and scanned.
 */
async function verifyPushed(registry, repository, tags, imageId) {
    const head = await registry.headManifest(repository, tags[0]);
    if (!head)
        throw new RegistryError(`${registry.registry}/${repository}:${tags[0]} is not in the registry after the push.`, 404);
    await verifyTags({ client: registry, repository }, tags, head.digest);
    const manifest = await registry.getManifest(repository, head.digest);
    const config = manifest?.json.config?.digest;
    if (config !== imageId && head.digest !== imageId) {
        throw new RegistryError(`${registry.registry}/${repository}:${tags[0]} (${head.digest}) has config ${config}, not the built image ${imageId}.`, 409);
    }
    core.info(`Verified in the registry: ${tags.length} tag(s) -> ${head.digest}`);
    return head.digest;
}
/**
 * A multi-platform image from an OCI archive: every platform scanned (unless `scan` is off), then the archive's
 * exact content pushed through the registry API (blobs, platform manifests, the index under each tag) and
 * verified; with `push: false`, only its index digest is reported.
 */
async function scanPushArchive(inputs, tags, labels, archive, work, deps) {
    const repository = `${inputs.image.registry}/${inputs.image.repository}`;
    const targets = inputs.platforms.map((platform) => ({ input: archive, platform }));
    const scan = inputs.scan
        ? await logGroup('build-push: scan', () => scanAndGate(inputs, targets, `${repository} (${inputs.platforms.join(', ')})`, deps.scan))
        : { result: 'skipped' };
    const layout = (0,external_node_path_.join)(work, 'layout');
    (0,external_node_fs_.mkdirSync)(layout);
    await deps.docker.extract(archive, layout);
    if (!inputs.push) {
        const imageId = topDescriptor(layout).digest;
        return { repository, digest: '', pushed: false, imageId, tags, labels, how: 'built', scan };
    }
    const top = await logGroup('build-push: push', () => pushOciLayout(layout, deps.registry, inputs.image.repository, tags));
    await verifyTags({ client: deps.registry, repository: inputs.image.repository }, tags, top.digest);
    core.info(`Verified in the registry: ${tags.length} tag(s) -> ${top.digest}`);
    return {
        repository,
        digest: top.digest,
        pushed: true,
        imageId: top.digest,
        tags,
        labels,
        how: 'built',
        scan,
    };
}
async function verifyBuildxPush(inputs, tags, labels, metadataFile, deps) {
    const repository = `${inputs.image.registry}/${inputs.image.repository}`;
    const metadata = (0,external_node_fs_.existsSync)(metadataFile) ? JSON.parse((0,external_node_fs_.readFileSync)(metadataFile, 'utf8')) : {};
    const digest = metadata['containerimage.digest'];
    if (!digest)
        throw new Error('docker buildx did not report the digest it pushed (--metadata-file).');
    await verifyTags({ client: deps.registry, repository: inputs.image.repository }, tags, digest);
    return { repository, digest, pushed: true, tags, labels, how: 'built', scan: { result: 'skipped' } };
}

;// CONCATENATED MODULE: ./src/build-inputs.ts


/** The image label holding the hash of the inputs an image was built from (see `buildInputsHash`). */
const BUILD_INPUTS_LABEL = 'dev.slipway.build-inputs';
const sha256 = (text) => (0,external_node_crypto_.createHash)('sha256').update(text).digest('hex');
const clean = (path) => external_node_path_.posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '') || '.';
/**
 * A hash of the inputs that decide what image a commit builds into: the context and Dockerfile paths (relative
 * to the workspace), the target stage, the build args (names and values; each value hashed on its own first, so
 * the label never carries one) and the platforms. Order-free where order does not matter. Cache settings,
 * `pull` and `no-cache` change how the image is built, not which one, so they are left out; so are the secrets,
 * whose values must never reach an image.
 */
function buildInputsHash(inputs) {
    const context = clean(inputs.context);
    const canonical = {
        context,
        file: clean(inputs.file ?? external_node_path_.posix.join(context, 'Dockerfile')),
        target: inputs.target ?? '',
        buildArgs: [...inputs.buildArgs]
            .map(([name, value]) => [name, sha256(value)])
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        platforms: [...new Set(inputs.platforms)].sort(),
    };
    return `sha256:${sha256(JSON.stringify(canonical))}`;
}

;// CONCATENATED MODULE: ./src/credentials.ts



const defaultEcrApi = () => ({
    credentials: (options) => getEcrCredentials(options),
    client: (options) => new dist_cjs/* ECRClient */.S70({
        ...(options.region ? { region: options.region } : {}),
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    }),
});
/**
 * Credentials for a registry: an ECR token when the host is an ECR registry (or `ecr: true`), through the
 * default AWS credential chain, for the host's own account (cross-account pushes work); the username and
 * password inputs otherwise; none (anonymous, or what `docker login` already stored) when neither applies.
 */
async function resolveCredentials(options, ecr) {
    const host = parseEcrHost(options.registry);
    const useEcr = options.ecr === 'true' || (options.ecr === 'auto' && host !== undefined && !options.username);
    if (!useEcr) {
        const credentials = options.username && options.password
            ? { username: options.username, password: options.password }
            : undefined;
        return { loginHost: options.registry, credentials, ecr: false };
    }
    const all = await ecr.credentials({
        region: host?.region,
        registryIds: host ? [host.accountId] : undefined,
        endpoint: options.endpoint,
    });
    const token = all.find((c) => c.registry === options.registry) ?? all[0];
    core.info(`Got an Amazon ECR token for ${token.registry}${token.expiresAt ? ` (valid until ${token.expiresAt.toISOString()})` : ''}.`);
    return {
        loginHost: token.registry,
        credentials: { username: token.username, password: token.password },
        ecr: true,
    };
}
/** Creates the ECR repository when it is missing: scan on push, tags mutable unless asked otherwise. */
async function ensureEcrRepository(ecr, options) {
    const host = parseEcrHost(options.registry);
    const client = ecr.client({ region: host?.region, endpoint: options.endpoint });
    const registryId = host?.accountId;
    try {
        await client.send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({ registryId, repositoryNames: [options.repository] }));
        return;
    }
    catch (error) {
        if (!(error instanceof dist_cjs/* RepositoryNotFoundException */.Da2) &&
            error.name !== 'RepositoryNotFoundException')
            throw error;
    }
    await client.send(new dist_cjs/* CreateRepositoryCommand */.WTe({
        registryId,
        repositoryName: options.repository,
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: options.immutableTags ? 'IMMUTABLE' : 'MUTABLE',
    }));
    core.info(`Created the ECR repository ${options.repository} (scan on push${options.immutableTags ? ', immutable tags' : ''}).`);
}

;// CONCATENATED MODULE: ./src/docker-cli.ts


/** The Docker CLI calls the action makes, on the shared CommandRunner. */
class DockerCli {
    runner;
    constructor(runner) {
        this.runner = runner;
    }
    async hasBuildx() {
        const result = await this.runner
            .run('docker', ['buildx', 'version'], { quiet: true, allowFailure: true })
            .catch(() => ({ code: 1 }));
        return result.code === 0;
    }
    /** The current buildx builder's name and driver (`docker buildx inspect`), or undefined when it cannot say. */
    async buildxBuilder() {
        const result = await this.runner.run('docker', ['buildx', 'inspect'], {
            quiet: true,
            allowFailure: true,
        });
        const field = (key) => new RegExp(`^${key}:[ \\t]*(\\S+)`, 'm').exec(result.stdout)?.[1];
        const [name, driver] = [field('Name'), field('Driver')];
        return result.code === 0 && name && driver ? { name, driver } : undefined;
    }
    /** Whether the daemon keeps its images in containerd (which holds several platforms under one tag). */
    async containerdImageStore() {
        const result = await this.runner.run('docker', ['info', '--format', '{{json .DriverStatus}}'], {
            quiet: true,
            allowFailure: true,
        });
        return result.code === 0 && result.stdout.includes('io.containerd.snapshotter');
    }
    async run(args, env) {
        await this.runner.run('docker', args, { env });
    }
    /** The local image ID of a reference, or undefined when there is no such image. */
    async imageId(ref) {
        const result = await this.runner.run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], {
            quiet: true,
            allowFailure: true,
        });
        return result.code === 0 ? result.stdout.trim() : undefined;
    }
    async tag(source, target) {
        await this.runner.run('docker', ['tag', source, target], { quiet: true });
    }
    /** Unpacks a tar archive (an OCI image archive) into a folder. */
    async extract(archive, into) {
        await this.runner.run('tar', ['-xf', archive, '-C', into], { quiet: true });
    }
    /** Packs a folder (an OCI image layout) into a tar archive. */
    async pack(dir, archive) {
        await this.runner.run('tar', ['-cf', archive, '-C', dir, '.'], { quiet: true });
    }
    /** The password goes on standard input, never on the command line. */
    async login(host, username, password) {
        const result = await this.runner.run('docker', ['login', '--username', username, '--password-stdin', host], {
            input: password,
            allowFailure: true,
        });
        if (result.code !== 0) {
            throw new errors/* UserError */.yo(`docker login to ${host} as "${username}" failed: ${result.stderr.trim().split('\n').pop()}. Check the credentials.`);
        }
    }
    async logout(host) {
        await this.runner.run('docker', ['logout', host], { allowFailure: true });
    }
    /** `docker push`, retried with back-off when the registry answers 5xx or the connection times out. */
    async push(ref, options = {}) {
        await retry(async () => {
            const result = await this.runner.run('docker', ['push', ref], { allowFailure: true });
            if (result.code !== 0)
                throw new PushFailed(ref, result.stderr || result.stdout);
        }, {
            ...options,
            retryable: (error) => error instanceof PushFailed && error.transient,
            onRetry: (error, attempt, delay) => core.warning(`docker push ${ref} failed (attempt ${attempt}); retrying in ${delay}ms: ${error.reason}`),
        });
    }
}
const TRANSIENT = /status(?: code)?:? ?5(?:0[02-9]|[1-9]\d)\b|service unavailable|bad gateway|gateway time-?out|internal server error|too many requests|timeout|timed out|connection reset|broken pipe|unexpected EOF|TLS handshake/i;
class PushFailed extends Error {
    name = 'PushFailed';
    transient;
    reason;
    constructor(ref, output) {
        const reason = output.trim().split('\n').filter(Boolean).pop() ?? 'no output';
        super(`docker push ${ref} failed: ${reason}`);
        this.reason = reason;
        this.transient = TRANSIENT.test(output);
    }
}

;// CONCATENATED MODULE: ./src/git-context.ts

function readGitContext(env = process.env) {
    let event = {};
    const eventPath = env.GITHUB_EVENT_PATH;
    if (eventPath && (0,external_node_fs_.existsSync)(eventPath)) {
        try {
            event = JSON.parse((0,external_node_fs_.readFileSync)(eventPath, 'utf8'));
        }
        catch {
            // an unreadable payload only costs the default-branch and PR details
        }
    }
    const prFromRef = /^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? '');
    const prNumber = event.pull_request?.number ?? (prFromRef ? Number(prFromRef[1]) : undefined);
    return {
        sha: env.GITHUB_SHA ?? '',
        ref: env.GITHUB_REF ?? '',
        eventName: env.GITHUB_EVENT_NAME ?? '',
        repository: env.GITHUB_REPOSITORY ?? '',
        serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
        defaultBranch: event.repository?.default_branch,
        prNumber,
    };
}

// EXTERNAL MODULE: ./src/inputs.ts + 1 modules
var src_inputs = __webpack_require__(4850);
;// CONCATENATED MODULE: ./src/reuse-image.ts







/**
 * The image under `sha-<commit>` when it was built from the same inputs (its build-inputs label is `hash`).
 * The tag alone is not enough: a matrix building variants of one commit (another target, Dockerfile, build
 * args or platforms) into one repository shares that tag, and each variant must get its own image.
 */
async function findReusable(registry, repository, shaTag, hash) {
    const existing = await registry.headManifest(repository, shaTag);
    if (!existing)
        return undefined;
    const config = await registry.getImageConfig(repository, existing.digest);
    const found = config?.json.config?.Labels?.[BUILD_INPUTS_LABEL];
    if (found === hash)
        return existing;
    core.info(`${registry.registry}/${repository}:${shaTag} exists (${existing.digest}) but was built from other inputs (${BUILD_INPUTS_LABEL} ${found ?? 'missing'}, now ${hash}): building.`);
    return undefined;
}
/**
 * Reuses an existing image: unless `scan` is off it is scanned again first (every platform, from an OCI
 * archive of the registry's exact content) and must pass today's gate with today's DB and settings, as a new
 * build would; only then are the other tags added through the registry API.
 */
async function reuseImage(inputs, existing, tags, labels, deps) {
    const repository = `${inputs.image.registry}/${inputs.image.repository}`;
    const label = `${repository}@${existing.digest}`;
    core.info(`${label} was built from these inputs for this commit: reusing it instead of building.`);
    let scan = { result: 'skipped' };
    if (inputs.scan) {
        const work = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(deps.tempDir, 'build-push-reuse-'));
        try {
            const layout = (0,external_node_path_.join)(work, 'layout');
            (0,external_node_fs_.mkdirSync)(layout);
            await pullOciLayout(deps.registry, inputs.image.repository, existing.digest, layout);
            const archive = (0,external_node_path_.join)(work, 'image.tar');
            await deps.docker.pack(layout, archive);
            const platforms = await imagePlatforms(deps.registry, inputs.image.repository, existing.digest);
            const targets = platforms.map((platform) => ({ input: archive, platform }));
            scan = await logGroup('build-push: scan (reused image)', () => scanAndGate(inputs, targets, label, deps.scan));
        }
        finally {
            (0,external_node_fs_.rmSync)(work, { recursive: true, force: true });
        }
    }
    await copyImage({
        source: { client: deps.registry, repository: inputs.image.repository, digest: existing.digest },
        target: { client: deps.registry, repository: inputs.image.repository },
        tags,
    });
    return { repository, digest: existing.digest, pushed: true, tags, labels, how: 'reused', scan };
}
/** The platforms of an image: an index's entries (not attestations), or a manifest's config os/arch. */
async function imagePlatforms(registry, repository, digest) {
    const manifest = await registry.getManifest(repository, digest);
    const entries = (manifest?.json.manifests ?? []).filter((m) => m.platform && m.platform.os !== 'unknown');
    if (entries.length)
        return entries.map((m) => platformName(m.platform));
    const config = await registry.getImageConfig(repository, digest);
    const { os = 'linux', architecture = 'amd64', variant } = config?.json ?? {};
    return [platformName({ os, architecture, variant })];
}

// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(8407);
;// CONCATENATED MODULE: ./src/tags.ts

const MAX = 128;
/** A tag made valid: anything but letters, digits, _, . and - becomes -, no leading . or -, at most 128. */
function sanitizeTag(text) {
    const clean = text
        .replace(/[^A-Za-z0-9_.-]/g, '-')
        .replace(/^[.-]+/, '')
        .slice(0, MAX);
    return clean || undefined;
}
function shaTag(sha) {
    return sha ? `sha-${sha.slice(0, 7)}` : undefined;
}
/**
 * Tags from the git context, as docker/metadata-action makes them by default: `sha-<short>`; the branch
 * (and `latest` on the default branch); `pr-<n>` for pull requests; for a semver tag `1.2.3`, `1.2` and `1`
 * (only the full version for a pre-release, no `0` for 0.x); any other git tag as it is. Sanitised.
 */
function gitTags(ctx) {
    const tags = [];
    const add = (tag) => {
        const clean = tag === undefined ? undefined : sanitizeTag(tag);
        if (clean && !tags.includes(clean))
            tags.push(clean);
    };
    const isPr = ctx.prNumber !== undefined &&
        (ctx.eventName.startsWith('pull_request') || ctx.ref.startsWith('refs/pull/'));
    if (isPr) {
        add(`pr-${ctx.prNumber}`);
    }
    else if (ctx.ref.startsWith('refs/heads/')) {
        const branch = ctx.ref.slice('refs/heads/'.length);
        add(branch);
        if (ctx.defaultBranch && branch === ctx.defaultBranch)
            add('latest');
    }
    else if (ctx.ref.startsWith('refs/tags/')) {
        const name = ctx.ref.slice('refs/tags/'.length);
        const version = (0,semver.parse)(name.replace(/^v/i, ''));
        if (version) {
            add(version.version);
            if (version.prerelease.length === 0) {
                add(`${version.major}.${version.minor}`);
                if (version.major > 0)
                    add(String(version.major));
            }
        }
        else {
            add(name);
        }
    }
    add(shaTag(ctx.sha));
    return tags;
}
/**
 * The git-context tags that move from image to image: the branch, `latest`, `pr-<n>`, and a release's `1.2` and
 * `1`. What stays is `sha-<short>` and the git tag itself (the full version), which name one build for good.
 */
function movingGitTags(ctx) {
    const fixed = new Set([shaTag(ctx.sha)]);
    if (ctx.ref.startsWith('refs/tags/')) {
        const name = ctx.ref.slice('refs/tags/'.length);
        fixed.add(sanitizeTag((0,semver.parse)(name.replace(/^v/i, ''))?.version ?? name));
    }
    return gitTags(ctx).filter((tag) => !fixed.has(tag));
}
/** The OCI annotations metadata-action sets as labels; `version` is the first tag (the most specific). */
function ociLabels(ctx, tags, now) {
    const url = ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : '';
    const labels = [
        ['org.opencontainers.image.title', ctx.repository.split('/').pop() ?? ''],
        ['org.opencontainers.image.source', url],
        ['org.opencontainers.image.url', url],
        ['org.opencontainers.image.revision', ctx.sha],
        ['org.opencontainers.image.version', tags[0] ?? ''],
        ['org.opencontainers.image.created', now.toISOString()],
    ];
    return labels.filter(([, value]) => value !== '');
}

;// CONCATENATED MODULE: ./src/main.ts














function defaultDeps() {
    const runner = createCommandRunner();
    return {
        runner,
        env: process.env,
        now: () => new Date(),
        ecr: defaultEcrApi(),
        registry: (registry, credentials) => new RegistryClient({ registry, credentials }),
        scan: defaultScanDeps(runner, process.env),
        state: createStateStore(),
    };
}
async function run(inputs = (0,src_inputs/* getInputs */.GP)(), deps = defaultDeps()) {
    const published = inputs.sourceImage ? await promote(inputs, deps) : await buildOrReuse(inputs, deps);
    await publish(published);
}
async function buildOrReuse(inputs, deps) {
    const workspace = deps.env.GITHUB_WORKSPACE ?? process.cwd();
    const inWorkspace = (p) => (0,external_node_path_.resolve)(workspace, p);
    if (!(0,external_node_fs_.existsSync)(inWorkspace(inputs.context))) {
        throw new errors/* UserError */.yo(`Input "context" is ${JSON.stringify(inputs.context)}, which does not exist in the workspace (${workspace}); check out the code first or fix the path.`);
    }
    for (const [input, path] of [
        ['file', inputs.file],
        ['ignore-file', inputs.ignoreFile],
    ]) {
        if (path && !(0,external_node_fs_.existsSync)(inWorkspace(path))) {
            throw new errors/* UserError */.yo(`Input "${input}" is ${JSON.stringify(path)}, which does not exist in the workspace (${workspace}).`);
        }
    }
    // Docker and Trivy read these: the same rules as every path input (no link out of the workspace, no device).
    const where = { workspace, temp: deps.env.RUNNER_TEMP };
    checkWorkspacePath('context', inputs.context, 'folder', where);
    const dockerfile = inputs.file ?? (0,external_node_path_.join)(inputs.context, 'Dockerfile');
    if (inputs.file || (0,external_node_fs_.lstatSync)(inWorkspace(dockerfile), { throwIfNoEntry: false })) {
        checkWorkspacePath('file', dockerfile, 'file', where);
    }
    if (inputs.ignoreFile)
        checkWorkspacePath('ignore-file', inputs.ignoreFile, 'file', where);
    const ctx = readGitContext(deps.env);
    let tags = [...new Set([...gitTags(ctx), ...inputs.tags])];
    if (inputs.immutableTags) {
        // ECR refuses to overwrite a tag of an immutable repository: the next commit's push of these would fail
        const moving = movingGitTags(ctx).filter((tag) => !inputs.tags.includes(tag));
        tags = tags.filter((tag) => !moving.includes(tag));
        if (moving.length) {
            core.warning(`"immutable-tags" is on, so the moving tags ${moving.join(', ')} are not pushed: the next build would have to overwrite them, which an immutable repository refuses. The image is tagged ${tags.join(', ')}; deploy it by digest (image-ref).`);
        }
    }
    if (tags.length === 0) {
        throw new errors/* UserError */.yo('No tag to push: there is no git context to make tags from (GITHUB_SHA, GITHUB_REF); set "tags".');
    }
    const hash = buildInputsHash(inputs);
    const labels = [
        ...ociLabels(ctx, tags, deps.now()),
        ...inputs.labels,
        [BUILD_INPUTS_LABEL, hash],
    ];
    const docker = new DockerCli(deps.runner);
    const tempDir = deps.env.RUNNER_TEMP || workspace;
    // one folder per run: two build-push steps in a job must not overwrite each other's reports
    (0,external_node_fs_.mkdirSync)(tempDir, { recursive: true });
    const outputDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(tempDir, 'slipway-build-push-'));
    const scan = { ...deps.scan, outputDir };
    const paths = {
        context: inWorkspace(inputs.context),
        file: inputs.file && inWorkspace(inputs.file),
        ignoreFile: inputs.ignoreFile && inWorkspace(inputs.ignoreFile),
    };
    if (!inputs.push) {
        if (inputs.createRepository)
            core.warning('"create-repository" is ignored: "push" is false, so no registry is contacted and no repository created.');
        core.info('"push" is false: building and scanning only (no registry login, no push; "skip-existing" not consulted).');
        // the registry client is never called on this path: without a push there is nothing to verify
        return buildScanPush({ ...inputs, ...paths }, tags, labels, {
            docker,
            registry: deps.registry(inputs.image.registry),
            scan,
            tempDir,
            login: async () => { },
        });
    }
    const login = await targetLogin(inputs, deps);
    const registry = deps.registry(inputs.image.registry, login.credentials);
    const dockerLogin = async () => {
        if (!login.credentials)
            return;
        await docker.login(login.loginHost, login.credentials.username, login.credentials.password);
        if (inputs.logout)
            deps.state.save('loggedIn', [login.loginHost]);
    };
    const sha = shaTag(ctx.sha);
    const existing = inputs.skipExisting && sha ? await findReusable(registry, inputs.image.repository, sha, hash) : undefined;
    if (existing)
        return reuseImage({ ...inputs, ...paths }, existing, tags, labels, { registry, docker, scan, tempDir });
    return buildScanPush({ ...inputs, ...paths }, tags, labels, {
        docker,
        registry,
        scan,
        tempDir,
        pushRetry: deps.pushRetry,
        login: dockerLogin,
    });
}
/** Credentials for the target registry, and its ECR repository created first when asked. */
async function targetLogin(inputs, deps) {
    const login = await resolveCredentials({ registry: inputs.image.registry, ...inputs }, deps.ecr);
    if (login.ecr && inputs.createRepository) {
        await ensureEcrRepository(deps.ecr, {
            registry: inputs.image.registry,
            repository: inputs.image.repository,
            endpoint: inputs.endpoint,
            immutableTags: inputs.immutableTags,
        });
    }
    return login;
}
/**
 * Promotes an image by digest: its manifest is PUT under the new tags through the registry API, blobs mounted
 * (or copied from another registry) as needed. No Docker, no pull, no build; the digest is verified.
 */
async function promote(inputs, deps) {
    const source = inputs.sourceImage;
    const target = inputs.image;
    const login = await targetLogin(inputs, deps);
    const targetClient = deps.registry(target.registry, login.credentials);
    let sourceClient = targetClient;
    if (source.registry !== target.registry) {
        const sourceEcr = parseEcrHost(source.registry);
        const sourceLogin = sourceEcr
            ? await resolveCredentials({ registry: source.registry, ecr: 'true', endpoint: inputs.endpoint }, deps.ecr)
            : undefined;
        sourceClient = deps.registry(source.registry, sourceLogin?.credentials);
    }
    const sourceText = `${source.registry}/${source.repository}@${source.digest}`;
    const result = await copyImage({
        source: { client: sourceClient, repository: source.repository, digest: source.digest },
        target: { client: targetClient, repository: target.repository },
        tags: inputs.tags,
        onBlob: (digest, how) => core.debug(`${digest}: ${how}`),
    });
    return {
        repository: `${target.registry}/${target.repository}`,
        digest: result.digest,
        pushed: true,
        tags: result.tags,
        labels: [],
        how: 'promoted',
        source: sourceText,
        scan: { result: 'skipped' },
    };
}
/** The post step: log out of what main logged in to. It only warns. */
async function post(deps = defaultDeps()) {
    const docker = new DockerCli(deps.runner);
    for (const host of deps.state.get('loggedIn') ?? []) {
        await docker.logout(host);
        core.info(`Logged out of ${host}.`);
    }
}


/***/ })

};
;