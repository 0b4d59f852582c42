# shellcheck shell=sh
# Creates the folders a release's files go in. DIRS: one path a line.
printf '%s\n' "$DIRS" | while IFS= read -r dir; do
  if [ -n "$dir" ]; then mkdir -p -- "$dir"; fi
done
