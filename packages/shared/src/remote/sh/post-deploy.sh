# shellcheck shell=sh
# The post-deploy hook: POST_COMMAND on the host, in the project folder, once every service is healthy.
RELEASE_ID=$RELEASE_ID sh -c "$POST_COMMAND"
