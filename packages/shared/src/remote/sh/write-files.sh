# shellcheck shell=sh
# Writes a release's files into FOLDER in one command, after make-dirs.sh made their folders (with the user's
# umask, as a container may read a mounted folder as another user): a ustar archive of them on standard input
# (ustar.ts), unpacked under umask 077 (nothing is readable by others even for a moment: an env file holds
# secrets), then each file gets its own mode (MODES: `mode path` lines, paths relative to FOLDER).
umask 077
tar -x -f - -C "$FOLDER"
printf '%s\n' "$MODES" | while read -r mode path; do
  if [ -n "$path" ]; then chmod "$mode" -- "$FOLDER/$path"; fi
done
