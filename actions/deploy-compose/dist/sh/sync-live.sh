# shellcheck shell=sh
# Makes `live` hold exactly the files of the release in RELEASE_DIR (sync_live in lib.sh).
sync_live
