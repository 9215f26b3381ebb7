#!/usr/bin/env bash
# Creates the project's Python venv (.venv) with Google's protobuf runtime, protoc (from
# grpcio-tools) and pyzmq, all from PyPI. Idempotent: a venv that already has them is kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
py=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
  "$py" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import google.protobuf, zmq, grpc_tools' 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    -r "$root/scripts/python-requirements.txt"
fi
"$venv/bin/python" -c 'import google.protobuf, zmq; print("python venv ready: protobuf", google.protobuf.__version__, "pyzmq", zmq.__version__)'
