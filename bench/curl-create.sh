#!/usr/bin/env bash
# The original demo's way to create connectors, as the baseline of `npm run bench:connectors`:
# one `curl -X PUT .../config` per connector, one after the other, then poll each status with
# `curl` until the connector and its task are RUNNING.
#
#   CONNECT_URL=http://127.0.0.1:18083 CONNECTOR_CLASS=... TOPIC=t RECEIVER_URL=http://... \
#   PREFIX=bench-curl COUNT=20 POLL_SECONDS=1 bench/curl-create.sh
set -euo pipefail

: "${CONNECT_URL:?set CONNECT_URL to the Connect REST API}"
: "${CONNECTOR_CLASS:?set CONNECTOR_CLASS to the HTTP sink class}"
: "${TOPIC:?set TOPIC to an existing topic}"
: "${RECEIVER_URL:?set RECEIVER_URL to the destination base URL}"
PREFIX="${PREFIX:-bench-curl}"
COUNT="${COUNT:-20}"
POLL_SECONDS="${POLL_SECONDS:-1}"

for i in $(seq 0 $((COUNT - 1))); do
  name="${PREFIX}-${i}"
  curl -sf -o /dev/null -X PUT "${CONNECT_URL}/connectors/${name}/config" \
    -H 'Content-Type: application/json' \
    -d "{\"connector.class\":\"${CONNECTOR_CLASS}\",\"topics\":\"${TOPIC}\",\"tasks.max\":\"1\",\"http.api.url\":\"${RECEIVER_URL}/${name}\"}"
done

for i in $(seq 0 $((COUNT - 1))); do
  name="${PREFIX}-${i}"
  deadline=$((SECONDS + 120))
  until curl -sf "${CONNECT_URL}/connectors/${name}/status" |
    grep -q '"connector":{"state":"RUNNING".*"tasks":\[{"id":0,"state":"RUNNING"'; do
    if ((SECONDS > deadline)); then
      echo "connector ${name} not RUNNING within 120 s" >&2
      exit 1
    fi
    sleep "${POLL_SECONDS}"
  done
done
