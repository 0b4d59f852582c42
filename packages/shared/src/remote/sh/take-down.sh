# shellcheck shell=sh
# Stops and removes the project (a first release that has to be undone has nothing to go back to).
dc down --remove-orphans
