#!/usr/bin/env bash
# Starts the release binary on a fresh database with the accounts the specs sign in as.
# Playwright runs this as its webServer and stops it when the run ends.
set -euo pipefail
cd "$(dirname "$0")"
port="${1:?usage: serve.sh PORT}"
bin="${SHOUWANG_BIN:-../target/release/shouwang}"
dir="$(mktemp -d)"
db="$dir/e2e.db"
trap 'rm -rf "$dir"' EXIT
printf '%s\n' "e2e-admin-password" | "$bin" create-user --database "$db" --role admin --username e2e-admin --display-name "测试管理员"
printf '%s\n' "e2e-staff-password" | "$bin" create-user --database "$db" --role staff --username e2e-staff --display-name "网格员 测试"
# The moderation spec signs in four times in a row: its own account keeps the shared
# staff account under the per-account sign-in limit for the specs after it.
printf '%s\n' "e2e-moderator-password" | "$bin" create-user --database "$db" --role staff --username e2e-moderator --display-name "审核员 测试"
printf '%s\n' "e2e-resident-password" | "$bin" create-user --database "$db" --role resident --username 13800138001 --display-name "居民 测试"
# Every spec registers its residents and volunteers, and they report, from this one
# address, as a whole building would on a registration day's shared Wi-Fi.
SHOUWANG_LOG="${SHOUWANG_LOG:-warn}" "$bin" serve --database "$db" --addr "127.0.0.1:$port" \
  --sign-ups-per-address 1000 --new-submissions-per-address 1000
