# shellcheck shell=sh
# Makes `live` (Compose's project directory for releases made since it exists) hold exactly the files of the
# release in RELEASE_DIR, so every release mounts its files from the same paths: a service whose files did not
# change keeps the same Compose configuration (and is left alone), and a proxy sees its new configuration
# where it already looks. A changed file is rewritten in place (a file bind mount keeps its inode, so running
# containers see it); an unchanged one is not touched; one the release no longer has is removed.
umask 077
mkdir -p -- live
(cd -- "$RELEASE_DIR" && find . -type d) | while IFS= read -r dir; do mkdir -p -- "live/$dir"; done
(cd -- "$RELEASE_DIR" && find . -type f) | while IFS= read -r file; do
  if ! cmp -s -- "$RELEASE_DIR/$file" "live/$file"; then
    if [ -f "live/$file" ]; then cat -- "$RELEASE_DIR/$file" > "live/$file"; else cp -- "$RELEASE_DIR/$file" "live/$file"; fi
  fi
  chmod "$(stat -c %a -- "$RELEASE_DIR/$file")" -- "live/$file"
done
(cd live && find . -type f) | while IFS= read -r file; do
  if [ ! -e "$RELEASE_DIR/$file" ]; then rm -f -- "live/$file"; fi
done
