#!/usr/bin/env bash
# Usage: BASE=http://127.0.0.1:3000 LLAVERO_KEY=sk_live_… scripts/keys-api-demo.sh (needs curl and jq).
# One keys:manage key provisions, lists, rotates and revokes keys with curl.
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:3000}
KEY=${LLAVERO_KEY:?set LLAVERO_KEY to a key with the keys:manage scope}
H=(-H "X-API-Key: $KEY")
J=(-H "Content-Type: application/json")
say() { printf '\n== %s\n' "$*"; }
# curl that waits out a 429 as Retry-After says (the Free plan allows a key 10 calls a minute).
curl() {
  local out hdr; hdr=$(mktemp)
  while :; do
    out=$(command curl -D "$hdr" "$@")
    if grep -q '^HTTP/[0-9.]* 429' "$hdr"; then
      local wait; wait=$(grep -i '^retry-after:' "$hdr" | tr -dc '0-9'); echo "(rate limited, waiting ${wait}s)" >&2; sleep "${wait:-1}"; continue
    fi
    break
  done
  rm -f "$hdr"; printf '%s' "$out"
}

say "who am I"
curl -s "${H[@]}" "$BASE/api/public/me" | jq -c '{key: .key.name, scopes: .key.scopes, team: .team, creator: .creator, limits: .limits}'

say "provision a key for tenant 42 (with an Idempotency-Key), then retry it"
IDEM=$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)
R1=$(curl -s "${H[@]}" "${J[@]}" -H "Idempotency-Key: $IDEM" -X POST "$BASE/api/public/keys" -d '{"name":"tenant-42","description":"from keys-api-demo.sh","scopes":["ping","validate"],"expires_in_days":90}')
echo "$R1" | jq -c '{secret: (.secret[0:12] + "…"), id: .key.id, status: .key.status, expires_at: .key.expires_at}'
H2=$(mktemp)
R2=$(command curl -s -D "$H2" "${H[@]}" "${J[@]}" -H "Idempotency-Key: $IDEM" -X POST "$BASE/api/public/keys" -d '{"name":"tenant-42","description":"from keys-api-demo.sh","scopes":["ping","validate"],"expires_in_days":90}')
echo "retry replayed: $(grep -i '^idempotent-replayed' "$H2" | tr -d '\r') same key: $([ "$(echo "$R1" | jq -r .key.id)" = "$(echo "$R2" | jq -r .key.id)" ] && echo yes || echo NO)"
ID=$(echo "$R1" | jq -r .key.id)
TENANT=$(echo "$R1" | jq -r .secret)
echo "tenant key pings: $(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $TENANT" "$BASE/api/public/ping")"

say "the Free plan's limit, with the dashboard's message"
curl -s "${H[@]}" "${J[@]}" -X POST "$BASE/api/public/keys" -d '{"name":"one too many","scopes":["ping"]}' | jq -c .error


say "list"
curl -s "${H[@]}" "$BASE/api/public/keys" | jq -c '{keys: [.data[] | {name, status, prefix, last4}], next_cursor, limit}'

say "rename"
curl -s "${H[@]}" "${J[@]}" -X PATCH "$BASE/api/public/keys/$ID" -d '{"name":"tenant-42 (eu)"}' | jq -c '{name, status}'

say "rotate with 1h of grace"
ROT=$(curl -s "${H[@]}" "${J[@]}" -X POST "$BASE/api/public/keys/$ID/rotate" -d '{"grace":"1h"}')
echo "$ROT" | jq -c '{new: .key.id, new_status: .key.status, old_status: .previous.status, grace_until: .previous.grace_until}'
NEW=$(echo "$ROT" | jq -r .key.id)
NEWSECRET=$(echo "$ROT" | jq -r .secret)
echo "new key pings: $(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $NEWSECRET" "$BASE/api/public/ping"), old key (in grace) pings: $(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $TENANT" "$BASE/api/public/ping")"

say "revoke both"
for k in "$ID" "$NEW"; do curl -s "${H[@]}" -X POST "$BASE/api/public/keys/$k/revoke" | jq -c '{name, status}'; done
echo "new key after revoke: $(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $NEWSECRET" "$BASE/api/public/ping")"

say "list, revoked only"
curl -s "${H[@]}" "$BASE/api/public/keys?status=revoked" | jq -c '[.data[] | {name, status}]'
