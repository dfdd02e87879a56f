#!/bin/bash
# nextflow-batch host bootstrap: the self-contained AWS CLI v2 that Nextflow uses inside
# task containers.
#
# Nextflow copies task inputs and outputs with `aws s3` run *inside the task container*,
# using the CLI named by aws.batch.cliPath (/opt/aws-cli/bin/aws) and mounting that path's
# grandparent (/opt/aws-cli) into every container. So the CLI must be the official
# self-contained bundle installed in its own directory: every file and symlink the CLI
# needs lives under /opt/aws-cli (the installer's bin/aws and v2/current links point to
# absolute paths inside it, which resolve the same in the container because Nextflow
# mounts the directory at the same path). /usr would not work: mounting it would shadow
# the container's own /usr.
#
# Shipped as a `text/x-shellscript` part (see userData.ts): it runs late, in cloud-final,
# once per instance. It needs the network, not an early slot, and the ECS agent starts
# only after cloud-init has finished, so no job runs before the CLI is in place. The
# install lives on the root volume and survives reboots; a re-run skips it.
#
# Architecture: taken from `uname -m` on the host rather than baked into the user data. The
# host knows what it is; a baked value that disagreed with the instance type would install
# a CLI that cannot execute, and every task would fail on its first `aws s3 cp`.
#
# Installer flags (--install-dir, --bin-dir, --update) are those of the bundle's
# aws/install script and of "Install or update the AWS CLI" in the AWS CLI user guide
# (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html).
#
# Environment overrides (tests):
#   NFB_AWS_CLI_INSTALL_DIR  install dir; bin/ inside it holds the aws link  (/opt/aws-cli)
#   NFB_AWS_CLI_URL          bundle URL (any URL curl accepts, e.g. file://)
#                            (https://awscli.amazonaws.com/awscli-exe-linux-<arch>.zip)
#   NFB_DOWNLOAD_ATTEMPTS    download attempts                               (5)
#   NFB_RETRY_DELAY_SECONDS  delay before the 2nd attempt, doubled each time (5)
#   NFB_UNZIP                auto | unzip | python3: how to unpack the zip   (auto)
#   NFB_LOG_FILE             log file          (/var/log/nextflow-batch-bootstrap.log)
#   NFB_CONSOLE              console device for errors                       (/dev/console)
set -Eeuo pipefail

INSTALL_DIR="${NFB_AWS_CLI_INSTALL_DIR:-/opt/aws-cli}"
BIN_DIR="${INSTALL_DIR}/bin"
ATTEMPTS="${NFB_DOWNLOAD_ATTEMPTS:-5}"
RETRY_DELAY_SECONDS="${NFB_RETRY_DELAY_SECONDS:-5}"
UNZIP_TOOL="${NFB_UNZIP:-auto}"
LOG_FILE="${NFB_LOG_FILE:-/var/log/nextflow-batch-bootstrap.log}"
CONSOLE="${NFB_CONSOLE:-/dev/console}"
readonly TAG="nextflow-batch-bootstrap[aws-cli]"

log() {
  local line
  line="$(date -u +%Y-%m-%dT%H:%M:%SZ) ${TAG}: $*"
  printf '%s\n' "${line}" >&2
  { printf '%s\n' "${line}" >>"${LOG_FILE}"; } 2>/dev/null || true
}

fail() {
  log "ERROR: $*"
  log "ERROR: the AWS CLI is NOT installed at ${BIN_DIR}/aws; Nextflow tasks on this host will fail to stage files."
  if [[ -w "${CONSOLE}" ]]; then
    { printf '%s: ERROR: %s\n' "${TAG}" "$*" >"${CONSOLE}"; } 2>/dev/null || true
  fi
  exit 1
}

trap 'fail "unexpected failure (exit $?) at line ${LINENO}: ${BASH_COMMAND}"' ERR

# True when BIN_DIR/aws runs and resolves inside INSTALL_DIR.
installed() {
  local target
  [[ -x "${BIN_DIR}/aws" ]] || return 1
  target="$(readlink -f "${BIN_DIR}/aws")"
  [[ "${target}" == "${INSTALL_DIR}/"* ]] || return 1
  "${BIN_DIR}/aws" --version >/dev/null 2>&1
}

bundle_url() {
  if [[ -n "${NFB_AWS_CLI_URL:-}" ]]; then
    printf '%s\n' "${NFB_AWS_CLI_URL}"
    return 0
  fi
  local machine
  machine="$(uname -m)"
  case "${machine}" in
    x86_64 | amd64) printf '%s\n' "https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip" ;;
    aarch64 | arm64) printf '%s\n' "https://awscli.amazonaws.com/awscli-exe-linux-aarch64.zip" ;;
    *) return 1 ;;
  esac
}

download() {
  local url="$1" out="$2" attempt=1 delay="${RETRY_DELAY_SECONDS}"
  while true; do
    if curl --fail --silent --show-error --location --connect-timeout 20 --max-time 600 \
      --output "${out}" "${url}"; then
      return 0
    fi
    if ((attempt >= ATTEMPTS)); then
      return 1
    fi
    log "download attempt ${attempt} of ${ATTEMPTS} failed; retrying in ${delay}s"
    sleep "${delay}"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
  done
}

# Unpacks zip $1 into directory $2. AL2023 may not ship unzip: try dnf, else fall back to
# Python's zipfile (python3 is always on AL2023: dnf needs it), restoring the Unix modes
# zipfile ignores so the CLI's executables stay executable.
unpack() {
  local tool="${UNZIP_TOOL}"
  if [[ "${tool}" == "auto" ]]; then
    if ! command -v unzip >/dev/null 2>&1 && command -v dnf >/dev/null 2>&1; then
      log "unzip not found; installing it with dnf"
      dnf install -y unzip >&2 || log "dnf could not install unzip; falling back to python3"
    fi
    if command -v unzip >/dev/null 2>&1; then tool=unzip; else tool=python3; fi
  fi
  case "${tool}" in
    unzip) unzip -q -o "$1" -d "$2" ;;
    python3)
      python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as bundle:
    for info in bundle.infolist():
        path = bundle.extract(info, sys.argv[2])
        mode = (info.external_attr >> 16) & 0o7777
        if mode and not info.is_dir():
            os.chmod(path, mode)
PY
      ;;
    *) fail "NFB_UNZIP must be auto, unzip or python3; got '${tool}'" ;;
  esac
}

main() {
  if installed; then
    log "AWS CLI already installed: $("${BIN_DIR}/aws" --version 2>&1); nothing to do"
    return 0
  fi

  local url
  url="$(bundle_url)" || fail "unsupported architecture '$(uname -m)'; expected x86_64 or aarch64"
  command -v curl >/dev/null 2>&1 || fail "curl is missing; cannot download ${url}"

  local work
  work="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: $work is local to main.
  trap "rm -rf '${work}'" EXIT

  log "downloading ${url}"
  download "${url}" "${work}/awscliv2.zip" ||
    fail "could not download ${url} after ${ATTEMPTS} attempts (no route to the internet or a NAT gateway?)"

  unpack "${work}/awscliv2.zip" "${work}" || fail "could not unpack ${url}"
  [[ -x "${work}/aws/install" ]] || fail "${url} does not contain the aws/install script"

  mkdir -p "${INSTALL_DIR}"
  "${work}/aws/install" --install-dir "${INSTALL_DIR}" --bin-dir "${BIN_DIR}" --update >&2 ||
    fail "the AWS CLI installer failed"

  installed || fail "the installer finished but ${BIN_DIR}/aws does not run or resolves outside ${INSTALL_DIR}"
  log "installed $("${BIN_DIR}/aws" --version 2>&1) at ${BIN_DIR}/aws"
}

main "$@"
