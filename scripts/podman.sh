# Sourced by the image and stack scripts: podman with this project's containers.conf, installed
# from Debian's packages when missing (runc: the default crun is refused on the build machine).
if ! command -v podman >/dev/null || ! command -v mmdebstrap >/dev/null || ! command -v runc >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc mmdebstrap
fi
export CONTAINERS_CONF="${CONTAINERS_CONF:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/containers.conf}"
# pip inside a build reaches the package index through the machine's CA bundle.
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
