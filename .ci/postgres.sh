#!/usr/bin/env bash
# Make a PostgreSQL server run on this machine for the tests (Debian's package),
# with a database `rasd_test` owned by role `rasd`.  Prints the SQLAlchemy URL.
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_lsclusters -h | grep "^$version main" | grep -q online && break
  sleep 1
done
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='rasd'\"" | grep -q 1 \
  || su postgres -c "psql -p $port -qc \"CREATE ROLE rasd LOGIN PASSWORD 'rasd' CREATEDB\"" >&2
su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='rasd_test'\"" | grep -q 1 \
  || su postgres -c "psql -p $port -qc 'CREATE DATABASE rasd_test OWNER rasd'" >&2
echo "postgresql+psycopg://rasd:rasd@127.0.0.1:$port/rasd_test"
