# shellcheck shell=sh
# Writes files into FOLDER in one command, after make-dirs.sh made their folders (with the user's umask, as a
# container may read a mounted folder as another user): a ustar archive of them on standard input (ustar.ts) is
# unpacked under umask 077 into a folder of its own inside FOLDER (nothing is readable by others even for a
# moment: an env file holds secrets), each file gets its mode (MODES: `mode path` lines, paths relative to
# FOLDER) and is renamed into place: a reader sees the old file or the new one, never half of one.
umask 077
unpacked=$(mktemp -d "$FOLDER/.slipway-files.XXXXXX")
trap 'rm -rf -- "$unpacked"' EXIT
tar -x -f - -C "$unpacked"
printf '%s\n' "$MODES" | while read -r mode path; do
  if [ -n "$path" ]; then
    chmod "$mode" -- "$unpacked/$path"
    mv -f -- "$unpacked/$path" "$FOLDER/$path"
  fi
done
