#!/usr/bin/env bash
# The GitHub calls of .github/workflows/release.yml, one verb per job, through the REST API only (curl + jq, as on
# every GitHub runner), so a test can run them against github-local:
#   notes       the changelog section: the commits since the last published release, grouped by their prefix
#   publish     the release as a draft, then published; it must come back immutable with its tag on SHA
#   move-major  MAJOR (v1) to SHA, only once TAG's release exists, is immutable, and is the newest of its major
# Settings come from the environment: GH_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY, SHA, TAG, MAJOR, NOTES.
set -euo pipefail

: "${GH_TOKEN:?}" "${GITHUB_API_URL:?}" "${GITHUB_REPOSITORY:?}" "${SHA:?}" "${TAG:?}"
body=$(mktemp)
trap 'rm -f "$body"' EXIT

# call METHOD PATH [JSON]: the answer's body in $body, its HTTP status on stdout.
call() {
  curl -sS -o "$body" -w '%{http_code}' -X "$1" \
    -H "Authorization: Bearer $GH_TOKEN" -H 'Accept: application/vnd.github+json' \
    -H 'X-GitHub-Api-Version: 2022-11-28' ${3:+-H 'Content-Type: application/json' --data "$3"} \
    "$GITHUB_API_URL/repos/$GITHUB_REPOSITORY/$2"
}
# expect STATUS METHOD PATH [JSON]: fails with GitHub's message unless the call answers STATUS.
expect() {
  local want=$1 got
  shift
  got=$(call "$@")
  if [ "$got" != "$want" ]; then
    echo "::error::$1 $2 answered HTTP $got: $(jq -r '.message + ((.errors // []) | map(" " + (.message // .code)) | join(""))' "$body" 2>/dev/null || cat "$body")"
    exit 1
  fi
}
fail() {
  echo "::error::$*"
  exit 1
}

# The sha a tag points at, or nothing when there is no such tag.
tag_sha() {
  if [ "$(call GET "git/ref/tags/$1")" = 200 ]; then jq -r .object.sha "$body"; fi
}

notes() {
  : "${NOTES:?}"
  local previous='' range=$SHA
  if [ "$(call GET releases/latest)" = 200 ]; then
    previous=$(jq -r .tag_name "$body")
    git rev-parse -q --verify "refs/tags/$previous^{commit}" >/dev/null ||
      fail "The last release, $previous, has no tag in this checkout (fetch-depth: 0 fetches tags)."
    range="$previous..$SHA"
  fi
  local log
  log=$(git log --no-merges --format='%s (%h)' "$range")
  {
    echo "## $TAG"
    echo
    if [ -n "$previous" ]; then echo "Changes since $previous:"; else echo "The first release."; fi
    # section TITLE PATTERN [other]: the commits whose subject matches PATTERN (with "other": does not).
    section() {
      local lines
      if [ "${3:-}" = other ]; then
        lines=$(printf '%s\n' "$log" | grep -vE "$2" || true)
      else
        lines=$(printf '%s\n' "$log" | grep -E "$2" || true)
      fi
      [ -z "$lines" ] || printf '\n### %s\n\n%s\n' "$1" "$(printf '%s\n' "$lines" | sed 's/^/- /')"
    }
    section 'Features' '^feat(\(.*\))?!?:'
    section 'Fixes' '^fix(\(.*\))?!?:'
    section 'Other changes' '^(feat|fix)(\(.*\))?!?:' other
  } >"$NOTES"
}

publish() {
  : "${NOTES:?}"
  [ "$(call GET "releases/tags/$TAG")" != 200 ] || fail "$TAG is already released: $(jq -r .html_url "$body")."
  local existing
  existing=$(tag_sha "$TAG")
  [ -z "$existing" ] || [ "$existing" = "$SHA" ] ||
    fail "The tag $TAG points at $existing, not at the tested commit $SHA; nothing was published."
  # GitHub's advice for immutable releases: a draft first (assets, if any, go on it), then publish.
  expect 201 POST releases "$(jq -n --arg t "$TAG" --arg s "$SHA" --rawfile b "$NOTES" \
    '{tag_name: $t, target_commitish: $s, name: $t, body: $b, draft: true}')"
  local id
  id=$(jq -r .id "$body")
  expect 200 PATCH "releases/$id" '{"draft": false}'
  local immutable url
  immutable=$(jq -r .immutable "$body")
  url=$(jq -r .html_url "$body")
  if [ "$immutable" != true ]; then
    # A mutable release is not what users pin: back to a draft, and no major tag moves.
    call PATCH "releases/$id" '{"draft": true}' >/dev/null
    fail "$TAG was published mutable: release immutability is off for $GITHUB_REPOSITORY. Turn on Settings > General > Releases > \"Enable release immutability\" and run the release again; the release is a draft again and no major tag moved."
  fi
  [ "$(tag_sha "$TAG")" = "$SHA" ] || fail "The published tag $TAG does not point at $SHA."
  echo "id=$id" >>"${GITHUB_OUTPUT:-/dev/null}"
  echo "url=$url" >>"${GITHUB_OUTPUT:-/dev/null}"
  echo "Published $TAG ($SHA) as an immutable release: $url"
}

move_major() {
  : "${MAJOR:?}"
  expect 200 GET "releases/tags/$TAG"
  [ "$(jq -r .immutable "$body")" = true ] || fail "The release $TAG is not immutable; $MAJOR stays where it is."
  [ "$(tag_sha "$TAG")" = "$SHA" ] || fail "The tag $TAG does not point at $SHA; $MAJOR stays where it is."
  # Only the newest release of the major moves it (a 1.2.4 fix after 1.3.0 leaves v1 on 1.3.0).
  expect 200 GET 'releases?per_page=100'
  local newest
  newest=$(jq -r --arg m "$MAJOR." '.[] | select(.draft | not) | select(.prerelease | not) | .tag_name
    | select(startswith($m))' "$body" | sort -V | tail -n 1)
  if [ "$newest" != "$TAG" ]; then
    echo "$MAJOR stays on $newest, newer than $TAG."
    return
  fi
  if [ -n "$(tag_sha "$MAJOR")" ]; then
    expect 200 PATCH "git/refs/tags/$MAJOR" "$(jq -n --arg s "$SHA" '{sha: $s, force: true}')"
  else
    expect 201 POST git/refs "$(jq -n --arg r "refs/tags/$MAJOR" --arg s "$SHA" '{ref: $r, sha: $s}')"
  fi
  echo "$MAJOR now points at $SHA ($TAG)."
}

case "${1:-}" in
  notes) notes ;;
  publish) publish ;;
  move-major) move_major ;;
  *) fail "usage: release.sh notes|publish|move-major" ;;
esac
