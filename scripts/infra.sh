#!/usr/bin/env bash
# Local infrastructure for Slipway's tests, demo and benchmarks: Docker Engine, base images made locally,
# two OCI registries and several SSH "hosts" on loopback, each host with its own user, home and Docker daemon.
#
#   scripts/infra.sh up       install what is missing, start what is down (idempotent)
#   scripts/infra.sh status   say what runs; exit 1 when something is down
#   scripts/infra.sh down     stop what `up` started (users, images and registry data are kept)
#
# Works as root on a fresh Debian 12 machine and on a GitHub ubuntu runner (through sudo).
# Everything a test needs to know is written to $SLIPWAY_INFRA_DIR/infra.json (default: <repo>/.infra).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${SLIPWAY_INFRA_DIR:-$ROOT/.infra}
VARLIB=/var/lib/slipway-infra
OPEN_REGISTRY=127.0.0.1:5000
AUTH_REGISTRY=127.0.0.1:5001
REGISTRY_USER=slipway
JUMP_PORT=2220
HOSTS=(h1 h2 h3)
declare -A HOST_PORT=([h1]=2221 [h2]=2222 [h3]=2223)
# Different key types per host, so host-key verification is exercised for each.
declare -A HOST_KEY_TYPE=([jump]=ed25519 [h1]=ed25519 [h2]=ecdsa [h3]=rsa)
# The host matrix: what each host's user can run as Compose. v1 is `docker-compose` (1.29, Debian 12's package);
# v2 is the `docker compose` plugin in that user's ~/.docker/cli-plugins, as on a host set up by hand.
declare -A HOST_COMPOSE=([h1]=v1 [h2]=v2 [h3]=v2)
# Compose v2 and buildx come from Debian trixie's packages, fetched through an apt configuration of our own.
PLUGINS=$STATE/plugins
TRIXIE=$STATE/trixie
TRIXIE_PACKAGES=(docker-compose docker-buildx)
# buildx for the runner (every user of this machine, whatever DOCKER_CONFIG says), as GitHub's runners have it.
SYSTEM_PLUGINS=/usr/local/lib/docker/cli-plugins

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- packages
install_packages() {
  local missing=()
  command -v docker >/dev/null || missing+=(docker.io)
  command -v dockerd >/dev/null || missing+=(docker.io)
  # Compose v1 for the v1 host(s): a runner whose `docker-compose` is v2 (or missing) gets Debian's v1 as well.
  docker-compose version --short 2>/dev/null | grep -q '^1\.' || missing+=(docker-compose)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v ssh-keyscan >/dev/null || missing+=(openssh-client)
  /bin/busybox --list 2>/dev/null | grep -x httpd >/dev/null || missing+=(busybox-static)
  command -v caddy >/dev/null || missing+=(caddy)
  # The proxies' own images are made from these binaries (see build_proxy_images); their services never start
  # on the machine itself.
  [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  command -v htpasswd >/dev/null || missing+=(apache2-utils)
  command -v curl >/dev/null || missing+=(curl)
  # the client of HAProxy's runtime API in the test HAProxy image (canary weights), as in the official image
  command -v socat >/dev/null || missing+=(socat)
  command -v ip >/dev/null || missing+=(iproute2)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# ---------------------------------------------------------------- docker
docker_up() { docker info >/dev/null 2>&1; }
image_present() { docker image inspect "$1" >/dev/null 2>&1; }
host_docker_up() { DOCKER_HOST="unix://$(host_docker_sock "$1")" docker info >/dev/null 2>&1; }

start_docker() {
  if docker_up; then return; fi
  log "starting dockerd"
  mkdir -p "$STATE/logs"
  $SUDO sh -c "nohup dockerd >'$STATE/logs/dockerd.log' 2>&1 & echo \$! >'$STATE/dockerd.pid'"
  for _ in $(seq 60); do docker_up && return; sleep 0.5; done
  tail -20 "$STATE/logs/dockerd.log" >&2 || true
  die "dockerd did not start (log: $STATE/logs/dockerd.log)"
}

# A root filesystem of busybox applets: sh, httpd, wget, nc, ... in a few hundred KiB.
busybox_rootfs() {
  local dir=$1
  mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp" "$dir/www" "$dir/root"
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$dir/etc/group"
}

# Copies a dynamically linked binary into a root filesystem with exactly the libraries ldd names, at the same paths.
copy_with_libs() {
  local bin=$1 dir=$2 lib
  mkdir -p "$dir$(dirname "$bin")"
  cp "$bin" "$dir$bin"
  for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
    mkdir -p "$dir$(dirname "$lib")"
    cp -L "$lib" "$dir$lib"
  done
}

build_base_images() {
  local work
  if ! docker image inspect local/busybox:1 >/dev/null 2>&1; then
    log "making local/busybox:1"
    work=$(mktemp -d)
    busybox_rootfs "$work"
    tar -C "$work" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - local/busybox:1 >/dev/null
    rm -rf "$work"
  fi
  if ! docker image inspect local/caddy:1 >/dev/null 2>&1; then
    log "making local/caddy:1"
    work=$(mktemp -d)
    busybox_rootfs "$work"
    mkdir -p "$work/usr/bin" "$work/etc/caddy" "$work/data" "$work/config"
    copy_with_libs /usr/bin/caddy "$work"
    tar -C "$work" -c . | docker import -c 'ENV PATH=/usr/bin:/bin' -c 'ENV XDG_DATA_HOME=/data' \
      -c 'ENV XDG_CONFIG_HOME=/config' -c 'ENTRYPOINT ["/usr/bin/caddy"]' \
      -c 'CMD ["run","--config","/etc/caddy/Caddyfile","--adapter","caddyfile"]' - local/caddy:1 >/dev/null
    rm -rf "$work"
  fi
}

# Debian's nginx (nginx-light) and HAProxy, as the official images run them: nginx's master in the foreground
# as PID 1 (HUP reloads its config, QUIT stops it gracefully), HAProxy in master-worker mode (USR2 reloads,
# USR1 stops it softly). Their default configs only answer "ok"; a project mounts its own over them.
NGINX_DEFAULT_CONF='events {}
http {
  access_log off;
  server {
    listen 80;
    location / { return 200 "ok\n"; }
  }
}'
HAPROXY_DEFAULT_CFG='global
  log stdout format raw local0 warning
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
frontend http
  bind :80
  http-request return status 200 content-type text/plain string "ok"'

# `docker import` takes no STOPSIGNAL: import the root filesystem, then give it its config in a one-line build.
import_with_config() {
  local dir=$1 tag=$2 rootfs=$2-rootfs
  shift 2
  tar -C "$dir" -c . | docker import - "$rootfs" >/dev/null
  { printf 'FROM %s\n' "$rootfs"; printf '%s\n' "$@"; } | DOCKER_BUILDKIT=0 docker build -q -t "$tag" - >/dev/null
  docker rmi "$rootfs" >/dev/null
}

build_proxy_images() {
  local work
  if ! image_present local/nginx:1; then
    log "making local/nginx:1"
    work=$(mktemp -d)
    busybox_rootfs "$work"
    # Debian's nginx runs its workers as nobody:nogroup unless the config names a user.
    printf 'www-data:x:33:33:www-data:/var/www:/bin/false\n' >>"$work/etc/passwd"
    printf 'www-data:x:33:\nnogroup:x:65534:\n' >>"$work/etc/group"
    copy_with_libs /usr/sbin/nginx "$work"
    mkdir -p "$work/etc/nginx/conf.d" "$work/var/lib/nginx/body" "$work/var/log/nginx" "$work/run" \
      "$work/var/lock" "$work/usr/share/nginx/html"
    cp /etc/nginx/mime.types "$work/etc/nginx/mime.types"
    printf '%s\n' "$NGINX_DEFAULT_CONF" >"$work/etc/nginx/nginx.conf"
    # Logs to the container's output, as the official image does.
    ln -s /dev/stdout "$work/var/log/nginx/access.log"
    ln -s /dev/stderr "$work/var/log/nginx/error.log"
    import_with_config "$work" local/nginx:1 'ENV PATH=/usr/sbin:/usr/bin:/bin' 'STOPSIGNAL SIGQUIT' \
      'CMD ["/usr/sbin/nginx","-c","/etc/nginx/nginx.conf","-g","daemon off;"]'
    rm -rf "$work"
  fi
  if ! image_present local/haproxy:1; then
    log "making local/haproxy:1"
    work=$(mktemp -d)
    busybox_rootfs "$work"
    printf 'haproxy:x:99:99:haproxy:/var/lib/haproxy:/bin/false\n' >>"$work/etc/passwd"
    printf 'haproxy:x:99:\n' >>"$work/etc/group"
    copy_with_libs /usr/sbin/haproxy "$work"
    mkdir -p "$work/usr/local/etc/haproxy" "$work/var/lib/haproxy" "$work/run/haproxy"
    printf '%s\n' "$HAPROXY_DEFAULT_CFG" >"$work/usr/local/etc/haproxy/haproxy.cfg"
    import_with_config "$work" local/haproxy:1 'ENV PATH=/usr/sbin:/usr/bin:/bin' 'STOPSIGNAL SIGUSR1' \
      'CMD ["/usr/sbin/haproxy","-W","-db","-f","/usr/local/etc/haproxy/haproxy.cfg"]'
    rm -rf "$work"
  fi
}

# The hosts pull from the registry, like real hosts: publish the base images there once.
publish_base_images() {
  local name
  for name in busybox caddy nginx haproxy; do
    if ! curl -fs -o /dev/null "http://$OPEN_REGISTRY/v2/slipway/$name/manifests/1" \
      -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'; then
      docker tag "local/$name:1" "$OPEN_REGISTRY/slipway/$name:1"
      docker push -q "$OPEN_REGISTRY/slipway/$name:1" >/dev/null
    fi
  done
}

# ---------------------------------------------------------------- registries
registry_config() {
  local name=$1 addr=$2 auth=$3
  mkdir -p "$STATE/registry/$name"
  {
    printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\n' "$STATE/registry/$name/data"
    printf '  delete:\n    enabled: true\nhttp:\n  addr: %s\n' "$addr"
    if [ "$auth" = yes ]; then
      printf 'auth:\n  htpasswd:\n    realm: slipway\n    path: %s\n' "$STATE/registry/htpasswd"
    fi
  } >"$STATE/registry/$name/config.yml"
}

registry_up() { curl -s -o /dev/null -w '%{http_code}' "http://$1/v2/" 2>/dev/null | grep -qE '^(200|401)$'; }

start_registry() {
  local name=$1 addr=$2 auth=$3
  registry_up "$addr" && return
  log "starting registry $name on $addr"
  registry_config "$name" "$addr" "$auth"
  nohup docker-registry serve "$STATE/registry/$name/config.yml" >"$STATE/logs/registry-$name.log" 2>&1 &
  echo $! >"$STATE/registry/$name/pid"
  for _ in $(seq 40); do registry_up "$addr" && return; sleep 0.25; done
  die "registry $name did not start (log: $STATE/logs/registry-$name.log)"
}

start_registries() {
  mkdir -p "$STATE/registry" "$STATE/logs"
  if [ ! -s "$STATE/registry/password" ]; then
    head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$STATE/registry/password"
  fi
  htpasswd -Bbn "$REGISTRY_USER" "$(cat "$STATE/registry/password")" >"$STATE/registry/htpasswd"
  start_registry open "$OPEN_REGISTRY" no
  start_registry auth "$AUTH_REGISTRY" yes
}

# ---------------------------------------------------------------- ssh hosts
ensure_user() {
  local user=$1
  if ! id "$user" >/dev/null 2>&1; then
    $SUDO useradd --create-home --shell /bin/bash "$user"
  fi
  # A locked password ("!") makes sshd refuse even key logins when PAM is off; "*" means "no password".
  $SUDO usermod -p '*' "$user"
}

host_docker_sock() { echo "/run/slipway-$1/docker.sock"; }

# The extra daemons run without iptables, but the main daemon sets FORWARD to DROP and br_netfilter sends bridged
# frames through it: containers on one of their networks could not reach each other (a proxy container could
# not reach its app). Accept traffic that stays within one bridge; routing between bridges is untouched.
allow_bridged_traffic() {
  $SUDO iptables -C DOCKER-USER -m physdev --physdev-is-bridged -j ACCEPT 2>/dev/null ||
    $SUDO iptables -I DOCKER-USER -m physdev --physdev-is-bridged -j ACCEPT 2>/dev/null ||
    log "could not allow traffic within the hosts' bridges (containers of one host may not reach each other)"
}

start_host_docker() {
  local host=$1 user=slipway-$1 run=/run/slipway-$1
  allow_bridged_traffic
  local bridge=slw-$host n=${HOST_PORT[$host]: -1}
  # Each daemon gets its networks from its own address pool. The hosts share this machine's kernel, so two
  # daemons creating a network at the same moment (a fleet deploy's first run) could both take the same free
  # subnet; the published ports' docker-proxy then reached the other host's containers through the one route.
  local pool="base=10.2${n}0.0.0/16,size=24"
  local sock pids
  sock=$(host_docker_sock "$host")
  if host_docker_up "$host"; then
    if pgrep -f -- "-H unix://$sock .*--default-address-pool $pool" >/dev/null; then return; fi
    log "restarting the Docker daemon of host $host (its own address pool)"
    # (and its containerd, which a new daemon would otherwise wait for in vain)
    pids=$(pgrep -f -- "dockerd .*-H unix://$sock|$run/containerd/containerd.toml" || true)
    # shellcheck disable=SC2086
    if [ -n "$pids" ]; then $SUDO kill $pids 2>/dev/null || true; fi
    for _ in $(seq 60); do
      # shellcheck disable=SC2086
      if [ -z "$pids" ] || ! kill -0 $pids 2>/dev/null; then break; fi
      sleep 0.5
    done
  fi
  log "starting the Docker daemon of host $host"
  $SUDO mkdir -p "$run" "$VARLIB/$host"
  # Docker 20.10 started with --default-address-pool over a network store it wrote before deletes the machine's
  # docker0 (the main daemon's bridge: every `docker build` RUN step then fails). Each start begins with an empty
  # network store: its networks are what earlier tests left.
  $SUDO rm -f "$VARLIB/$host/docker/network/files/local-kv.db"
  # Its own default bridge, so `docker run -p` works there as on any host, apart from the main daemon's docker0.
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    $SUDO ip link add name "$bridge" type bridge
    $SUDO ip addr add "172.29.$n.1/24" dev "$bridge"
  fi
  $SUDO ip link set "$bridge" up
  # Published ports go through docker-proxy, so the extra daemons need no iptables rules of their own.
  $SUDO sh -c "nohup dockerd --data-root '$VARLIB/$host/docker' --exec-root '$run' \
    --pidfile '$run/dockerd.pid' -H 'unix://$(host_docker_sock "$host")' --group '$user' \
    --iptables=false --ip-masq=false --bridge='$bridge' --default-address-pool '$pool' >'$STATE/logs/dockerd-$host.log' 2>&1 &"
  for _ in $(seq 60); do
    host_docker_up "$host" && return
    sleep 0.5
  done
  die "the Docker daemon of $host did not start (log: $STATE/logs/dockerd-$host.log)"
}

sshd_config() {
  local name=$1 port=$2 user=$3 dir=$STATE/ssh/$1
  {
    printf 'Port %s\nListenAddress 127.0.0.1\nHostKey %s\nPidFile %s\n' "$port" "$dir/host_key" "$dir/sshd.pid"
    printf 'AuthorizedKeysFile %s\nAllowUsers %s\n' "$STATE/ssh/authorized_keys" "$user"
    printf 'PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n'
    printf 'UsePAM no\nStrictModes no\nMaxStartups 100\nMaxSessions 64\nClientAliveInterval 15\n'
    printf 'Subsystem sftp internal-sftp\n'
    if [ "$name" = jump ]; then
      printf 'AllowTcpForwarding yes\nPermitTTY no\n'
    else
      printf 'AllowTcpForwarding no\nSetEnv DOCKER_HOST=unix://%s\n' "$(host_docker_sock "$name")"
    fi
  } >"$dir/sshd_config"
}

sshd_up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_sshd() {
  local name=$1 port=$2 user=$3 dir=$STATE/ssh/$1 type=${HOST_KEY_TYPE[$1]}
  mkdir -p "$dir"
  [ -f "$dir/host_key" ] || ssh-keygen -q -t "$type" -N '' -C "slipway-$name" -f "$dir/host_key"
  sshd_config "$name" "$port" "$user"
  if sshd_up "$port"; then return; fi
  log "starting sshd $name on 127.0.0.1:$port"
  $SUDO mkdir -p /run/sshd
  $SUDO /usr/sbin/sshd -f "$dir/sshd_config" -E "$STATE/logs/sshd-$name.log"
  for _ in $(seq 40); do sshd_up "$port" && return; sleep 0.25; done
  die "sshd $name did not start (log: $STATE/logs/sshd-$name.log)"
}

start_ssh_hosts() {
  mkdir -p "$STATE/ssh" "$STATE/logs"
  chmod 755 "$STATE" "$STATE/ssh"
  [ -f "$STATE/ssh/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C slipway-client -f "$STATE/ssh/id_ed25519"
  # A second client key, protected by a passphrase, for the actions' `passphrase` input.
  if [ ! -f "$STATE/ssh/id_ed25519_passphrase" ]; then
    head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$STATE/ssh/passphrase"
    ssh-keygen -q -t ed25519 -N "$(cat "$STATE/ssh/passphrase")" -C slipway-client-passphrase \
      -f "$STATE/ssh/id_ed25519_passphrase"
  fi
  cat "$STATE/ssh/id_ed25519.pub" "$STATE/ssh/id_ed25519_passphrase.pub" >"$STATE/ssh/authorized_keys"
  chmod 644 "$STATE/ssh/authorized_keys"
  ensure_user slipway-jump
  start_sshd jump "$JUMP_PORT" slipway-jump
  local host
  for host in "${HOSTS[@]}"; do
    ensure_user "slipway-$host"
    start_host_docker "$host"
    start_sshd "$host" "${HOST_PORT[$host]}" "slipway-$host"
  done
  # Written beside and renamed, so tests reading them while `up` runs again never see a half-written file.
  : >"$STATE/ssh/known_hosts.new"
  for port in "$JUMP_PORT" "${HOST_PORT[@]}"; do
    ssh-keyscan -p "$port" -t ed25519,ecdsa,rsa 127.0.0.1 2>/dev/null | sort >>"$STATE/ssh/known_hosts.new"
  done
  cp "$STATE/ssh/known_hosts.new" "$STATE/ssh/known_hosts.hashed.new"
  ssh-keygen -q -H -f "$STATE/ssh/known_hosts.hashed.new" >/dev/null 2>&1
  rm -f "$STATE/ssh/known_hosts.hashed.new.old"
  mv -f "$STATE/ssh/known_hosts.new" "$STATE/ssh/known_hosts"
  mv -f "$STATE/ssh/known_hosts.hashed.new" "$STATE/ssh/known_hosts.hashed"
}

# ---------------------------------------------------------------- compose v2 and buildx
# apt with a sources list, lists and cache of its own, so trixie never reaches the machine's own apt sources and
# nothing else on the machine is upgraded. apt checks each archive against the hash in the Packages index.
trixie_apt() {
  local cmd=$1
  shift
  "$cmd" -o Dir::Etc::sourcelist="$TRIXIE/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::Lists="$TRIXIE/lists" -o Dir::Cache="$TRIXIE/cache" -o APT::Sandbox::User=root "$@"
}

# The machine's own Debian mirror (deb822 or one-line sources), else Debian's redirector.
debian_mirror() {
  local uri
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 ~ /debian/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' \
    /etc/apt/sources.list 2>/dev/null || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

plugin_binary() { echo "$PLUGINS/$1/usr/libexec/docker/cli-plugins/docker-${1#docker-}"; }

# Downloads and unpacks the trixie packages not unpacked yet into $PLUGINS/<package>.
fetch_trixie_plugins() {
  local pkg deb want have todo=()
  for pkg in "${TRIXIE_PACKAGES[@]}"; do
    [ -x "$(plugin_binary "$pkg")" ] || todo+=("$pkg")
  done
  [ ${#todo[@]} -gt 0 ] || return 0
  log "fetching ${todo[*]} from Debian trixie (scoped apt configuration in $TRIXIE)"
  mkdir -p "$TRIXIE/lists/partial" "$TRIXIE/cache/archives/partial" "$TRIXIE/debs"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' "$(debian_mirror)" \
    >"$TRIXIE/sources.list"
  trixie_apt apt-get update -qq
  for pkg in "${todo[@]}"; do
    rm -f "$TRIXIE/debs/${pkg}"_*.deb
    (cd "$TRIXIE/debs" && trixie_apt apt-get download -qq "$pkg") || die "apt-get download $pkg (trixie) failed"
    deb=$(ls "$TRIXIE/debs/${pkg}"_*.deb)
    # apt verified the download; check again that the file kept is the one the signed index names.
    want=$(trixie_apt apt-cache show "$pkg=$(dpkg-deb -f "$deb" Version)" | awk '/^SHA256:/ {print $2; exit}')
    have=$(sha256sum "$deb" | cut -d' ' -f1)
    if [ -z "$want" ] || [ "$want" != "$have" ]; then
      die "$deb: SHA256 $have, the trixie index says ${want:-nothing}"
    fi
    rm -rf "${PLUGINS:?}/$pkg"
    mkdir -p "$PLUGINS/$pkg"
    dpkg -x "$deb" "$PLUGINS/$pkg"
    printf '%s\n' "$(dpkg-deb -f "$deb" Version)" >"$PLUGINS/$pkg/VERSION"
  done
}

# Copies a plugin into place without disturbing a process running the old copy (a new file, then a rename).
install_plugin() {
  local src=$1 dest=$2 owner=${3:-}
  $SUDO mkdir -p "$(dirname "$dest")"
  if [ -f "$dest" ] && cmp -s "$src" "$dest"; then return; fi
  $SUDO cp "$src" "$dest.new"
  $SUDO chmod 755 "$dest.new"
  [ -z "$owner" ] || $SUDO chown "$owner:$owner" "$dest.new"
  $SUDO mv -f "$dest.new" "$dest"
}

as_user() { $SUDO runuser -u "$1" -- "${@:2}"; }

# Where the docker CLI finds a plugin for the current user ("" when it has none).
cli_plugin_path() {
  docker info --format "{{range .ClientInfo.Plugins}}{{if eq .Name \"$1\"}}{{.Path}}{{end}}{{end}}" 2>/dev/null || true
}

# buildx for the runner: what is there (a GitHub runner has it), else trixie's, in the system-wide plugin folder.
install_buildx() {
  if docker buildx version >/dev/null 2>&1; then return; fi
  log "installing docker buildx into $SYSTEM_PLUGINS"
  install_plugin "$(plugin_binary docker-buildx)" "$SYSTEM_PLUGINS/docker-buildx"
  docker buildx version >/dev/null 2>&1 || die "docker buildx does not run after installing it"
}

# The Compose v2 plugin the hosts get: the runner's own when it has one (GitHub), else trixie's.
compose_v2_source() {
  local path
  path=$(cli_plugin_path compose)
  if [ -n "$path" ] && "$path" compose version --short 2>/dev/null | grep -q '^v\?2\.'; then
    echo "$path"
  else
    plugin_binary docker-compose
  fi
}

# A v1 host must not see a v2 plugin installed for the whole machine (as on a GitHub runner): the user's own
# plugin folder comes first, and an entry there that is not a valid plugin hides the system's.
V1_ONLY_STUB='#!/bin/sh
# Slipway test infrastructure: this host runs Compose v1 only (docker-compose); this hides any docker compose v2
# plugin installed for the whole machine.
echo "this host has Compose v1 only (docker-compose)" >&2
exit 1'

install_host_compose() {
  local host=$1 user=slipway-$1 home dir
  home=$(getent passwd "$user" | cut -d: -f6)
  dir=$home/.docker/cli-plugins
  $SUDO mkdir -p "$dir"
  $SUDO chown "$user:$user" "$home/.docker" "$dir"
  if [ "${HOST_COMPOSE[$host]}" = v2 ]; then
    install_plugin "$(compose_v2_source)" "$dir/docker-compose" "$user"
    as_user "$user" docker compose version --short 2>/dev/null | grep -q '^v\?2\.' ||
      die "host $host: docker compose v2 does not run for $user"
  else
    if [ -f "$dir/docker-compose" ] && ! grep -q 'Compose v1 only' "$dir/docker-compose" 2>/dev/null; then
      $SUDO rm -f "$dir/docker-compose"
    fi
    if as_user "$user" docker compose version >/dev/null 2>&1; then
      printf '%s\n' "$V1_ONLY_STUB" | $SUDO tee "$dir/docker-compose.new" >/dev/null
      $SUDO chmod 755 "$dir/docker-compose.new"
      $SUDO mv -f "$dir/docker-compose.new" "$dir/docker-compose"
    fi
    if as_user "$user" docker compose version >/dev/null 2>&1; then die "host $host: still sees docker compose v2"; fi
    as_user "$user" docker-compose version --short 2>/dev/null | grep -q '^1\.' ||
      die "host $host: docker-compose v1 does not run for $user"
  fi
}

install_compose_and_buildx() {
  local need=0 host
  docker buildx version >/dev/null 2>&1 || need=1
  [ -n "$(cli_plugin_path compose)" ] || need=1
  if [ $need = 1 ]; then fetch_trixie_plugins; fi
  install_buildx
  for host in "${HOSTS[@]}"; do install_host_compose "$host"; done
}

# `<compose version> <plugin path or "">` for a host, as its user sees them.
host_compose_info() {
  local user=slipway-$1 home
  home=$(getent passwd "$user" | cut -d: -f6)
  if [ "${HOST_COMPOSE[$1]}" = v2 ]; then
    printf '%s %s\n' "$(as_user "$user" docker compose version --short 2>/dev/null | sed 's/^v//')" \
      "$home/.docker/cli-plugins/docker-compose"
  else
    printf '%s %s\n' "$(as_user "$user" docker-compose version --short 2>/dev/null)" ""
  fi
}

fingerprint() { ssh-keygen -l -E sha256 -f "$STATE/ssh/$1/host_key.pub" | awk '{print $2}'; }
key_type() { awk '{print $1}' "$STATE/ssh/$1/host_key.pub"; }

write_infra_json() {
  local host first=1 version plugin
  {
    printf '{\n  "stateDir": "%s",\n' "$STATE"
    printf '  "prometheus": { "url": "http://%s", "targets": "%s" },\n' "$PROMETHEUS_ADDR" "$STATE/prometheus/targets"
    printf '  "registry": {\n    "open": "%s",\n' "$OPEN_REGISTRY"
    printf '    "auth": { "host": "%s", "username": "%s", "password": "%s" }\n  },\n' \
      "$AUTH_REGISTRY" "$REGISTRY_USER" "$(cat "$STATE/registry/password")"
    printf '  "images": {\n    "busybox": "local/busybox:1",\n    "caddy": "local/caddy:1",\n'
    printf '    "nginx": "local/nginx:1",\n    "haproxy": "local/haproxy:1",\n'
    printf '    "busyboxRemote": "%s/slipway/busybox:1",\n    "caddyRemote": "%s/slipway/caddy:1",\n' \
      "$OPEN_REGISTRY" "$OPEN_REGISTRY"
    printf '    "nginxRemote": "%s/slipway/nginx:1",\n    "haproxyRemote": "%s/slipway/haproxy:1"\n  },\n' \
      "$OPEN_REGISTRY" "$OPEN_REGISTRY"
    printf '  "ssh": {\n    "clientKey": "%s",\n' "$STATE/ssh/id_ed25519"
    printf '    "passphraseKey": { "path": "%s", "passphrase": "%s" },\n' \
      "$STATE/ssh/id_ed25519_passphrase" "$(cat "$STATE/ssh/passphrase")"
    printf '    "knownHosts": "%s",\n    "knownHostsHashed": "%s",\n' \
      "$STATE/ssh/known_hosts" "$STATE/ssh/known_hosts.hashed"
    printf '    "jump": { "name": "jump", "host": "127.0.0.1", "port": %s, "user": "slipway-jump", "keyType": "%s", "fingerprint": "%s" },\n' \
      "$JUMP_PORT" "$(key_type jump)" "$(fingerprint jump)"
    printf '    "hosts": ['
    for host in "${HOSTS[@]}"; do
      [ $first = 1 ] || printf ','
      first=0
      read -r version plugin < <(host_compose_info "$host")
      printf '\n      { "name": "%s", "host": "127.0.0.1", "port": %s, "user": "slipway-%s", "home": "%s", "dockerHost": "unix://%s", "keyType": "%s", "fingerprint": "%s", "compose": "%s", "composeVersion": "%s", "composePlugin": "%s" }' \
        "$host" "${HOST_PORT[$host]}" "$host" "$(getent passwd "slipway-$host" | cut -d: -f6)" \
        "$(host_docker_sock "$host")" "$(key_type "$host")" "$(fingerprint "$host")" \
        "${HOST_COMPOSE[$host]}" "$version" "${plugin:-}"
    done
    printf '\n    ]\n  },\n'
    printf '  "buildx": { "version": "%s", "plugin": "%s" }\n}\n' \
      "$(docker buildx version 2>/dev/null | awk '{print $2}' | sed 's/^v//')" "$(cli_plugin_path buildx)"
  } >"$STATE/infra.json.tmp"
  mv "$STATE/infra.json.tmp" "$STATE/infra.json"
}

# ---------------------------------------------------------------- prometheus
# A real Prometheus (Debian's 2.42) for the metric analysis tests: it scrapes whatever targets the tests list
# in $STATE/prometheus/targets/*.json (file_sd, re-read within a second), every second.
PROMETHEUS_ADDR=127.0.0.1:9090
prometheus_up() { curl -sf "http://$PROMETHEUS_ADDR/-/ready" >/dev/null 2>&1; }

start_prometheus() {
  command -v prometheus >/dev/null || {
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  }
  mkdir -p "$STATE/prometheus/targets" "$STATE/prometheus/data" "$STATE/logs"
  prometheus_up && return
  log "starting prometheus on $PROMETHEUS_ADDR"
  printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: tests\n    file_sd_configs:\n      - files: ["%s/prometheus/targets/*.json"]\n        refresh_interval: 1s\n' \
    "$STATE" >"$STATE/prometheus/prometheus.yml"
  nohup prometheus --config.file="$STATE/prometheus/prometheus.yml" --storage.tsdb.path="$STATE/prometheus/data" \
    --storage.tsdb.retention.time=1d --web.listen-address="$PROMETHEUS_ADDR" \
    >"$STATE/logs/prometheus.log" 2>&1 &
  echo $! >"$STATE/prometheus/pid"
  for _ in $(seq 60); do prometheus_up && return; sleep 0.25; done
  die "prometheus did not start (log: $STATE/logs/prometheus.log)"
}

# ---------------------------------------------------------------- commands
cmd_up() {
  mkdir -p "$STATE/logs"
  install_packages
  start_docker
  build_base_images
  build_proxy_images
  start_registries
  publish_base_images
  start_ssh_hosts
  install_compose_and_buildx
  start_prometheus
  write_infra_json
  log "up: $STATE/infra.json"
}

quietly() { "$@" >/dev/null 2>&1; }

cmd_status() {
  local ok=0 host
  check() { if "${@:2}"; then printf '  %-28s up\n' "$1"; else printf '  %-28s DOWN\n' "$1"; ok=1; fi; }
  check "docker" docker_up
  check "image local/busybox:1" image_present local/busybox:1
  check "image local/caddy:1" image_present local/caddy:1
  check "image local/nginx:1" image_present local/nginx:1
  check "image local/haproxy:1" image_present local/haproxy:1
  check "registry $OPEN_REGISTRY" registry_up "$OPEN_REGISTRY"
  check "registry $AUTH_REGISTRY (auth)" registry_up "$AUTH_REGISTRY"
  check "sshd jump :$JUMP_PORT" sshd_up "$JUMP_PORT"
  for host in "${HOSTS[@]}"; do
    check "sshd $host :${HOST_PORT[$host]}" sshd_up "${HOST_PORT[$host]}"
    check "docker of $host" host_docker_up "$host"
    if [ "${HOST_COMPOSE[$host]}" = v2 ]; then
      check "compose v2 of $host" quietly as_user "slipway-$host" docker compose version
    else
      check "compose v1 of $host" quietly as_user "slipway-$host" docker-compose version
    fi
  done
  check "docker buildx" quietly docker buildx version
  check "prometheus $PROMETHEUS_ADDR" prometheus_up
  check "infra.json" test -s "$STATE/infra.json"
  return $ok
}

# kill_pidfile FILE: stops the process FILE names and waits (up to 20 s) until it is gone: a dockerd still shutting
# down keeps its pid file, and an `up` right after a `down` would otherwise find it and refuse to start.
kill_pidfile() {
  local file=$1 pid _
  if [ -s "$file" ]; then
    pid=$(cat "$file")
    $SUDO kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do
      $SUDO kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    rm -f "$file" 2>/dev/null || $SUDO rm -f "$file"
  fi
}

cmd_down() {
  local name host
  for name in jump "${HOSTS[@]}"; do kill_pidfile "$STATE/ssh/$name/sshd.pid"; done
  for name in open auth; do kill_pidfile "$STATE/registry/$name/pid"; done
  kill_pidfile "$STATE/prometheus/pid"
  for host in "${HOSTS[@]}"; do kill_pidfile "/run/slipway-$host/dockerd.pid"; done
  kill_pidfile "$STATE/dockerd.pid"
  rm -f "$STATE/infra.json"
  log "down"
}

case "${1:-}" in
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
  *) die "usage: scripts/infra.sh up|status|down" ;;
esac
