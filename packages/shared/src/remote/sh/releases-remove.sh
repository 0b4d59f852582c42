# shellcheck shell=sh
# Removes old release folders. REMOVE: one path a line.
printf '%s\n' "$REMOVE" | while IFS= read -r dir; do
  if [ -n "$dir" ]; then rm -rf -- "$dir"; fi
done
