# shellcheck shell=sh
# The backup hook: BACKUP_COMMAND on the host before anything changes; its last line is the backup's path.
CURRENT_RELEASE=$CURRENT_RELEASE sh -c "$BACKUP_COMMAND"
