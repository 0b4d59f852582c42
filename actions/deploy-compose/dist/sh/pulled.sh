# shellcheck shell=sh
# Waits for the pull pull.sh started in the background (pull_pid) and ends the command with its failure, if any.
# shellcheck disable=SC2154 # set by pull.sh
wait "$pull_pid"
