#!/usr/bin/env bash
# Installs what secretc needs to build and test, from Debian's packages. Idempotent and quiet:
# nothing is downloaded when everything is already there.
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config tao-pegtl-dev libfmt-dev doctest-dev libcli11-dev nlohmann-json3-dev libz3-dev
  libcpp-httplib-dev  # secretc serve
  clang libclang-rt-14-dev libbenchmark-dev time  # fuzzing (libFuzzer), benchmarks, memory measurements
  nodejs chromium  # the browser test of secretc serve (tests/browser/)
  tmux python3  # `secretc ask` in a real terminal; tests/docs/
  neovim clang-format  # `secretc lsp` with a real client (tests/lsp/); the house layout checked in CI
  python3-dev pybind11-dev python3-dask)  # the Python module (python/) and its Dask batch example
# npm comes with some builds of nodejs (NodeSource's) and is a package of its own in Debian's: ask for it
# only when there is none, since the two cannot be installed together.
if ! command -v npm >/dev/null; then packages+=(npm); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
  echo "secretc: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
