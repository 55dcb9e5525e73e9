#!/usr/bin/env bash
# What only a real Jira Cloud site can settle (README, "Tested against"): the order of a bulk create's answer
# and the direction of a "Blocks" link. Creates two issues and one link in a project you name, prints what
# Jira answered, then deletes the two issues (KEEP=1 keeps them). Not run in CI.
#
#   JIRA_SITE=https://your-site.atlassian.net JIRA_EMAIL=you@example.com JIRA_API_TOKEN=... \
#   JIRA_PROJECT=KEY [JIRA_ISSUE_TYPE=Task] [KEEP=1] bash scripts/verify-real-site.sh
#
# The API token is read from the environment only; it is never printed or written anywhere.
set -euo pipefail

for name in JIRA_SITE JIRA_EMAIL JIRA_API_TOKEN JIRA_PROJECT; do
  if [ -z "${!name:-}" ]; then
    echo "verify-real-site: set $name (see the comment at the top of this script)" >&2
    exit 2
  fi
done
SITE="${JIRA_SITE%/}"
TYPE_NAME="${JIRA_ISSUE_TYPE:-Task}"
RUN="verify-$(date +%s)"
AUTH_FILE="$(mktemp)"
trap 'rm -f "$AUTH_FILE"' EXIT
chmod 600 "$AUTH_FILE"
# curl reads the credentials from a file, so they never appear in the process list
printf 'user = "%s:%s"\n' "$JIRA_EMAIL" "$JIRA_API_TOKEN" > "$AUTH_FILE"

jira() {  # method path [json body]
  local args=(-sS --fail-with-body -K "$AUTH_FILE" -X "$1" -H "Accept: application/json" "$SITE$2")
  if [ $# -ge 3 ]; then args+=(-H "Content-Type: application/json" --data "$3"); fi
  curl "${args[@]}"
}
json() {  # python expression over the JSON on stdin, bound to `d`
  python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"
}

echo "== $SITE, project $JIRA_PROJECT, run $RUN"
TYPE_ID="$(jira GET "/rest/api/3/issue/createmeta/$JIRA_PROJECT/issuetypes" \
  | json "next((t['id'] for t in d.get('issueTypes', d.get('values', [])) if t['name'].lower() == '${TYPE_NAME,,}'), '')")"
if [ -z "$TYPE_ID" ]; then
  echo "verify-real-site: project $JIRA_PROJECT offers no issue type named $TYPE_NAME to this user" >&2
  exit 1
fi

issue() {  # summary, marker
  printf '{"fields":{"project":{"key":"%s"},"issuetype":{"id":"%s"},"summary":"%s"},"properties":[{"key":"ticketgen","value":{"batchId":"%s","draftKey":"%s"}}]}' \
    "$JIRA_PROJECT" "$TYPE_ID" "$1" "$RUN" "$2"
}
BODY="{\"issueUpdates\":[$(issue "$RUN first (request 0)" first),$(issue "$RUN second (request 1)" second)]}"
CREATED="$(jira POST /rest/api/3/issue/bulk "$BODY")"
KEYS="$(echo "$CREATED" | json "' '.join(i['key'] for i in d['issues'])")"
read -r ANSWER_0 ANSWER_1 <<< "$KEYS"
echo "bulk create answered, in this order: $KEYS"

FETCHED="$(jira POST /rest/api/3/issue/bulkfetch \
  "{\"issueIdsOrKeys\":[\"$ANSWER_0\",\"$ANSWER_1\"],\"fields\":[\"summary\"],\"properties\":[\"ticketgen\"]}")"
ORDER="$(echo "$FETCHED" | json "' '.join(i['key'] + '=' + i['properties']['ticketgen']['draftKey'] for i in d['issues'])")"
echo "their properties say: $ORDER"
FIRST="$(echo "$FETCHED" | json "next(i['key'] for i in d['issues'] if i['properties']['ticketgen']['draftKey'] == 'first')")"
SECOND="$(echo "$FETCHED" | json "next(i['key'] for i in d['issues'] if i['properties']['ticketgen']['draftKey'] == 'second')")"
if [ "$ANSWER_0" = "$FIRST" ]; then
  echo "-> this time the answer kept the request's order (the app never relies on it: it pairs by property)"
else
  echo "-> the answer did NOT keep the request's order: pairing by property is required"
fi

# The app sends "Blocks" with inwardIssue = the blocker: FIRST blocks SECOND.
jira POST /rest/api/3/issueLink \
  "{\"type\":{\"name\":\"Blocks\"},\"inwardIssue\":{\"key\":\"$FIRST\"},\"outwardIssue\":{\"key\":\"$SECOND\"}}" > /dev/null
SEEN="$(jira GET "/rest/api/3/issue/$SECOND?fields=issuelinks" \
  | json "'; '.join(l['type'].get('inward', '') + ' ' + l['inwardIssue']['key'] for l in d['fields']['issuelinks'] if 'inwardIssue' in l)")"
echo "link sent with inwardIssue=$FIRST, outwardIssue=$SECOND; $SECOND now shows: ${SEEN:-nothing inward}"
if [[ "$SEEN" == *"$FIRST"* ]]; then
  echo "-> $SECOND is blocked by $FIRST: the direction the app assumes"
else
  echo "-> unexpected direction: read the line above before exporting with this app"
fi

if [ "${KEEP:-0}" != "1" ]; then
  for key in "$FIRST" "$SECOND"; do jira DELETE "/rest/api/3/issue/$key" > /dev/null; done
  echo "deleted $FIRST and $SECOND (KEEP=1 keeps them)"
fi
