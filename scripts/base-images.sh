#!/usr/bin/env bash
# Where no image registry is reachable (this project's build machine), build faithful stand-ins
# for the official base images from Debian 12's packages, tagged with the official names, so the
# Dockerfile and compose.yaml stay as they are. An image already present is left alone: where the
# registry is reachable, `podman pull` (or the first build) takes the official ones instead.
#   python:3.11-slim  Debian's Python 3.11, pip and venv
#   python:3.10-slim  Debian 12 has no 3.10: the interpreter this machine has (pyenv, built on
#                     the same Debian 12), copied to /usr/local as the official image keeps it
#   postgres:15       Debian's PostgreSQL 15 behind an entrypoint with the official variables
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/podman.sh"
SUITE=bookworm
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

present() { podman image exists "$1"; }

# A minbase root file system with these packages, imported as an image with these settings.
standin() {
  local tag="$1" packages="$2" hook="$3"
  shift 3
  mmdebstrap --quiet --variant=minbase --include="$packages" \
    --customize-hook="$hook" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/usr/share/doc/* "$1"/usr/share/man/*' \
    "$SUITE" "$work/rootfs.tar"
  podman import --quiet "$@" "$work/rootfs.tar" "$tag" >/dev/null
  rm -f "$work/rootfs.tar"
  echo "built stand-in $tag ($(podman image inspect --format '{{.Size}}' "$tag" | numfmt --to=iec))"
}

ENV_PY=(--change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin'
        --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]')

if ! present docker.io/library/python:3.11-slim; then
  # The official image's pip installs into the system: Debian's marker against that goes.
  standin docker.io/library/python:3.11-slim \
    python3,python3-pip,python3-venv,python-is-python3,ca-certificates,passwd \
    'rm -f "$1"/usr/lib/python3.11/EXTERNALLY-MANAGED && ln -sf pip3 "$1"/usr/bin/pip' \
    "${ENV_PY[@]}"
fi

if ! present docker.io/library/python:3.10-slim; then
  python310="$(pyenv prefix 3.10 2>/dev/null || ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10.* | tail -1)"
  # The libraries the interpreter links to, as the official image has them; scripts' first
  # lines name the interpreter where it lands.
  standin docker.io/library/python:3.10-slim \
    ca-certificates,passwd,libssl3,libffi8,zlib1g,libsqlite3-0,libbz2-1.0,liblzma5,libreadline8,libncursesw6,libgdbm6,libuuid1,libexpat1 \
    "tar -C '$python310' --exclude=lib/python3.10/test --exclude='__pycache__' -c . | tar -C \"\$1/usr/local\" -x
     sed -i '1s|^#!.*/bin/python[0-9.]*\$|#!/usr/local/bin/python3.10|' \"\$1\"/usr/local/bin/*
     ln -sf python3.10 \"\$1/usr/local/bin/python\"; ln -sf pip3.10 \"\$1/usr/local/bin/pip\"
     chroot \"\$1\" ldconfig" \
    "${ENV_PY[@]}"
fi

if ! present docker.io/library/postgres:15; then
  standin docker.io/library/postgres:15 postgresql-15,ca-certificates \
    "install -m 755 '$here/postgres/entrypoint.sh' \"\$1/usr/local/bin/docker-entrypoint.sh\"" \
    --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PGDATA=/var/lib/postgresql/data' --change 'ENV LANG=C.UTF-8' \
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]' --change 'CMD ["postgres"]' \
    --change 'EXPOSE 5432'
fi
