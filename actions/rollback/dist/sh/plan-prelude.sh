# shellcheck shell=sh
# The dry run's prelude.sh: it writes nothing on the host (no project folder, no release folder, no lock). The
# release's Compose files and env file arrive as a tar archive on standard input and are unpacked into
# SLIPWAY_TMP, this command's private folder (group.sh removes it however the command ends). The project folder
# is entered only when it exists, and Compose's project directory is named as the deploy names it, so the config
# hashes (hashes.sh) are the ones the deploy would compute. Inputs as prelude.sh's; prints the lock's holder
# (`lock owner=…`, `lock run=…`, `lock expires=…`) when a deploy holds the project's lock.
umask 077
start=$PWD
mkdir -- "$SLIPWAY_TMP/release"
tar -x -f - -C "$SLIPWAY_TMP/release"
RELEASE_FILES=''
for file in $COMPOSE_FILES; do RELEASE_FILES="$RELEASE_FILES -f $SLIPWAY_TMP/release/$file"; done
if [ -d "$PROJECT_DIR" ]; then
  cd -- "$PROJECT_DIR" || exit
  base=$PWD
  if [ -f .slipway.lock/info ]; then grep -E '^(owner|run|expires)=' .slipway.lock/info | sed 's/^/lock /' || true; fi
else
  case $PROJECT_DIR in /*) base=$PROJECT_DIR ;; *) base=$start/$PROJECT_DIR ;; esac
  cd -- "$SLIPWAY_TMP" || exit
fi
if [ -n "$ENV_FILE" ]; then RELEASE_FILES="$RELEASE_FILES --env-file $SLIPWAY_TMP/release/$ENV_FILE"
elif [ "$HOST_ENV" = yes ] && [ -f .env ]; then RELEASE_FILES="$RELEASE_FILES --env-file $PWD/.env"; fi
# shellcheck disable=SC2034 # used by dc() in lib.sh
PROJECT_DIRECTORY="$base/$COMPOSE_DIRECTORY"
