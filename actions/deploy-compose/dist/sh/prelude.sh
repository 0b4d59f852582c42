# shellcheck shell=sh
# Enters the project folder and names the release's Compose files. Inputs:
#   PROJECT_DIR        the project folder (relative to the SSH user's home, or absolute)
#   RELEASE_DIR        the release's folder inside it (releases/<id>), empty when no release is involved
#   COMPOSE_FILES      the release's Compose files, relative to RELEASE_DIR, separated by spaces (safe names)
#   ENV_FILE           the release's env file for Compose's variables, relative to RELEASE_DIR, or empty
#   HOST_ENV           yes: the project folder's own .env (the host's settings) feeds Compose's variables
#   COMPOSE_DIRECTORY  Compose's project directory relative to PROJECT_DIR (where relative references resolve)
mkdir -p -- "$PROJECT_DIR"
cd -- "$PROJECT_DIR" || exit
# Absolute paths: Compose v1 reads a relative --env-file from the project directory, v2 from the working one.
RELEASE_FILES=''
for file in $COMPOSE_FILES; do RELEASE_FILES="$RELEASE_FILES -f $PWD/$RELEASE_DIR/$file"; done
if [ -n "$ENV_FILE" ]; then RELEASE_FILES="$RELEASE_FILES --env-file $PWD/$RELEASE_DIR/$ENV_FILE"
elif [ "$HOST_ENV" = yes ] && [ -f .env ]; then RELEASE_FILES="$RELEASE_FILES --env-file $PWD/.env"; fi
# shellcheck disable=SC2034 # used by dc() in lib.sh
PROJECT_DIRECTORY="$PWD/$COMPOSE_DIRECTORY"
