# Sourced by scripts/demo and scripts/test: the set-up both need on a fresh
# Debian/Ubuntu machine. Installs only the system packages that are missing
# (as root, or through sudo) and makes virtualenvs that an interrupted run
# cannot leave half-made. PYTHON picks the interpreter (default: python3).

PYTHON=${PYTHON:-python3}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "error: need root or sudo to run: $*" >&2
    return 1
  fi
}

# True when $PYTHON is the distribution's own (so apt can add venv/headers).
python_is_debians() {
  [ "$("$PYTHON" -c 'import sys; print(sys.base_prefix)')" = /usr ]
}

# The build compiles against this interpreter's own Python.h.
has_python_headers() {
  "$PYTHON" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'
}

# The Debian packages missing for the build, the demo and the tests.
missing_system_packages() {
  local need=() pyver
  if ! command -v "$PYTHON" >/dev/null; then
    # No Python at all: Debian's, with what venv and the build need.
    echo python3 python3-venv python3-dev libssl-dev openssl pkg-config ca-certificates
    return
  fi
  pyver=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    python_is_debians && need+=("python$pyver-venv")
  fi
  if ! has_python_headers; then
    python_is_debians && need+=("python$pyver-dev")
  fi
  command -v pkg-config >/dev/null || need+=(pkg-config)
  # pkg-config's own answer only counts once pkg-config exists.
  if ! command -v pkg-config >/dev/null || ! pkg-config --exists openssl; then
    need+=(libssl-dev)
  fi
  command -v openssl >/dev/null || need+=(openssl)  # the tests' independent peer
  # The wheel links Swift's standard library statically, which needs
  # libstdc++.so for the gcc Swift uses (swift.org's list lacks it).
  if ! command -v gcc >/dev/null; then
    need+=(g++)
  elif [ ! -e "$(gcc -print-file-name=libstdc++.so)" ]; then
    need+=("libstdc++-$(gcc -dumpversion | cut -d. -f1)-dev")
  fi
  # Building the static OpenSSL 3.5/4.0 (scripts/build-openssl) takes make
  # and perl with its standard modules (perl-base alone lacks IPC::Cmd).
  command -v make >/dev/null || need+=(make)
  perl -MIPC::Cmd -e1 2>/dev/null || need+=(perl)
  # Recent pip verifies PyPI against the system CA store (truststore).
  [ -s /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
  echo "${need[@]}"
}

install_system_deps() {
  local need
  need=$(missing_system_packages)
  if [ -n "$need" ]; then
    echo "installing: $need"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086 # one word per package
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
  fi
  # What apt cannot fix: a Python that is not Debian's, or no Swift.
  if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    echo "error: $PYTHON cannot make a virtualenv (no ensurepip/venv) and is not Debian's" >&2
    return 1
  fi
  if ! has_python_headers; then
    echo "error: $PYTHON has no Python.h and is not Debian's: install its headers" >&2
    return 1
  fi
  if ! command -v swift >/dev/null; then
    echo "error: no swift on PATH: install a Swift 6 toolchain (swift.org/install)" >&2
    return 1
  fi
}

# ensure_venv DIR PACKAGE...: DIR is a virtualenv made by $PYTHON with PACKAGE...
# installed. The marker is written last, so a run interrupted before it (or a
# change of interpreter or packages) makes the next run start DIR afresh.
ensure_venv() {
  local dir=$1 stamp
  shift
  stamp="$("$PYTHON" -c 'import sys; print(sys.executable)') $*"
  if [ "$(cat "$dir/.setup-complete" 2>/dev/null)" = "$stamp" ] &&
    "$dir/bin/python" -m pip --version >/dev/null 2>&1; then
    return 0
  fi
  if [ -e "$dir" ]; then
    echo "rebuilding the unfinished or outdated virtualenv $dir"
    rm -rf "$dir"
  fi
  "$PYTHON" -m venv "$dir"
  "$dir/bin/python" -m pip install -q --upgrade pip
  if [ $# -gt 0 ]; then
    "$dir/bin/python" -m pip install -q "$@"
  fi
  echo "$stamp" >"$dir/.setup-complete"
}
