# shellcheck shell=sh
# Prints the release history (HISTORY), or an empty one for a host never deployed to.
if [ -f "$HISTORY" ]; then cat -- "$HISTORY"; else echo '[]'; fi
