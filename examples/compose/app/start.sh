#!/bin/sh
# Writes /www/version.json, then serves /www on port 8080.
set -e
environment="${APP_ENV:-development}"
if [ -f "/app/config/$environment.env" ]; then status=ok; else status="no configuration for $environment"; fi
mkdir -p /www
printf '{"commit":"%s","environment":"%s","status":"%s"}\n' "$GIT_SHA" "$environment" "$status" >/www/version.json
exec httpd -f -p 8080 -h /www
