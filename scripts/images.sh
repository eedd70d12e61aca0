#!/usr/bin/env bash
# Build both images of the Dockerfile with podman: primm-app (--target app) and primm-nlu
# (--target nlu), on the official base images or, where none can be pulled, the stand-ins of
# scripts/base-images.sh. Prints each build's time and each image's size.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/podman.sh"
cd "$here/.."
mkdir -p var
bash "$here/base-images.sh"
build=(podman build --network host)
if [ -f "$CA_BUNDLE" ]; then
  build+=(--volume "$CA_BUNDLE:$CA_BUNDLE:ro" --build-arg "PIP_CERT=$CA_BUNDLE")
fi
for target in app nlu; do
  start=$(date +%s)
  "${build[@]}" --target "$target" --tag "primm-$target" . >"var/images-$target.log" 2>&1 ||
    { tail -30 "var/images-$target.log"; exit 1; }
  size=$(podman image inspect --format '{{.Size}}' "primm-$target" | numfmt --to=iec)
  echo "primm-$target: built in $(( $(date +%s) - start )) s, $size"
done
