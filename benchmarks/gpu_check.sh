#!/usr/bin/env bash
# GPU check: which device and backend train, seconds per epoch, images per second and time
# to a target validation accuracy, for cbteach's path and the keras.io mnist_convnet recipe
# side by side (benchmarks/target_bench.py). Record what it prints in benchmarks/RESULTS.md,
# with the device named.
#
#   bash benchmarks/gpu_check.sh                 # full MNIST if Keras has it, else the sample
#   CBTEACH_DATA=sample bash benchmarks/gpu_check.sh
#   KERAS_BACKEND=jax bash benchmarks/gpu_check.sh   # picked by itself where TensorFlow is absent
#
# Target: 99 % on full MNIST (where it can be had), 96 % on the sample. Runs on a CPU too
# (it then says that no GPU is visible), so it can be checked anywhere.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY="${PYTHON:-python3}"
if [ -x .venv/bin/python ]; then PY=.venv/bin/python; fi
if [ -z "${KERAS_BACKEND:-}" ] && ! "$PY" -c "import tensorflow" >/dev/null 2>&1; then
    if "$PY" -c "import jax" >/dev/null 2>&1; then
        export KERAS_BACKEND=jax
        echo "TensorFlow is not installed: using KERAS_BACKEND=jax"
    fi
fi
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}" MPLBACKEND=Agg

echo "== nvidia-smi"
if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
else
    echo "no nvidia-smi: no NVIDIA GPU is visible on this machine"
fi

echo "== what Keras trains on"
"$PY" -c "import cbteach, json; from cbteach import device; print(json.dumps(device.describe()))"

echo "== time to target: cbteach path against the keras.io recipe"
"$PY" benchmarks/target_bench.py --data "${CBTEACH_DATA:-auto}" --target "${TARGET:-auto}" \
    --repeats "${REPEATS:-2}" --max-epochs "${MAX_EPOCHS:-30}"
