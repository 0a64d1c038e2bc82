#!/usr/bin/env bash
# Rebuilds server/migrations/postgres/0001_schema.sql from SQLite's migrations.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=$(mktemp); rm -f "$db"
for f in server/migrations/*.sql; do sqlite3 "$db" < "$f" 2>/dev/null || true; done
sqlite3 "$db" .schema > "$db.schema"
{
  echo "-- The schema of a community (and, in the public schema, the catalog): SQLite's migrations"
  echo "-- in PostgreSQL's types (BIGINT identities, TIMESTAMPTZ instants, DATE days,"
  echo "-- BOOLEAN flags, BYTEA photos)."
  echo
  python3 docs/postgres/translate.py "$db.schema"
  cat docs/postgres/seed_rows.sql docs/postgres/bigrams.sql docs/postgres/schema_tail.sql
} > server/migrations/postgres/0001_schema.sql
rm -f "$db" "$db.schema"
