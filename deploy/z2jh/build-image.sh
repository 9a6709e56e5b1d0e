#!/usr/bin/env bash
# Build (and push) the students' image with repo2docker from a checkout of this repository.
#   pip install jupyter-repo2docker && deploy/z2jh/build-image.sh registry.example.org/backpain-workbook
# repo2docker reads the root requirements.txt (and runtime.txt for the Python version; the workbook needs
# 3.11+). The appendix adds what the hub needs in the image but the workbook does not: nbgitpuller (the
# one-click pull links) and jupyterhub-singleuser at the hub's version (deploy/requirements-singleuser.txt).
set -euo pipefail
image=${1:?usage: build-image.sh REGISTRY/NAME}
repo=$(git -C "$(dirname "$0")/../.." rev-parse --show-toplevel)
tag=$(git -C "$repo" rev-parse --short=12 HEAD)
# --target-repo-dir: the student's volume is mounted over /home/jovyan; keep the editable install out of it
jupyter-repo2docker --no-run --user-name jovyan --image-name "$image:$tag" --target-repo-dir /srv/backpain \
  --appendix "RUN \${NB_PYTHON_PREFIX}/bin/pip install --no-cache-dir $(grep -v '^#' "$repo/deploy/requirements-singleuser.txt" | xargs)" \
  "$repo"
docker push "$image:$tag"
echo "set singleuser.image.name=$image and singleuser.image.tag=$tag in deploy/z2jh/values.yaml"
