#!/bin/bash
# nextflow-batch: install the self-contained AWS CLI v2 at /opt/aws-cli/bin/aws, the
# aws.batch.cliPath Nextflow mounts (as /opt/aws-cli) into task containers. An
# x-shellscript: runs once, late (cloud-final), before the ECS agent starts. Reruns skip.
# Architecture from uname -m: the host cannot be wrong about itself (see README.md).
# Installer flags: the bundle's aws/install -h and the AWS CLI user guide's Linux install.
# Env overrides for tests: NFB_AWS_CLI_INSTALL_DIR NFB_AWS_CLI_URL NFB_DOWNLOAD_ATTEMPTS
# NFB_RETRY_DELAY_SECONDS NFB_UNZIP (auto|unzip|python3) NFB_LOG_FILE NFB_CONSOLE
set -Eeuo pipefail
DIR="${NFB_AWS_CLI_INSTALL_DIR:-/opt/aws-cli}"
ATTEMPTS="${NFB_DOWNLOAD_ATTEMPTS:-5}"
DELAY="${NFB_RETRY_DELAY_SECONDS:-5}"
UNZIP="${NFB_UNZIP:-auto}"
LOG_FILE="${NFB_LOG_FILE:-/var/log/nextflow-batch-bootstrap.log}"
CONSOLE="${NFB_CONSOLE:-/dev/console}"
TAG="nextflow-batch-bootstrap[aws-cli]"
AWS="${DIR}/bin/aws"

log() {
  local l
  l="$(date -u +%FT%TZ) ${TAG}: $*"
  printf '%s\n' "${l}" >&2
  { printf '%s\n' "${l}" >>"${LOG_FILE}"; } 2>/dev/null || true
}
fail() {
  log "ERROR: $* -- no AWS CLI at ${AWS}: Nextflow tasks on this host cannot stage files."
  { printf '%s: ERROR: %s\n' "${TAG}" "$*" >"${CONSOLE}"; } 2>/dev/null || true
  exit 1
}
trap 'fail "exit $? at line ${LINENO}: ${BASH_COMMAND}"' ERR

installed() { # runs, and resolves inside DIR (the directory Nextflow mounts)
  [[ -x "${AWS}" && "$(readlink -f "${AWS}")" == "$(readlink -f "${DIR}")/"* ]] && "${AWS}" --version >/dev/null 2>&1
}

if installed; then
  log "already installed: $("${AWS}" --version 2>&1)"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x86_64 ;;
  aarch64) arch=aarch64 ;;
  *) fail "unsupported architecture $(uname -m)" ;;
esac
url="${NFB_AWS_CLI_URL:-https://awscli.amazonaws.com/awscli-exe-linux-${arch}.zip}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

n=1 d="${DELAY}"
until curl -fsSL --connect-timeout 20 --max-time 600 -o "${work}/cli.zip" "${url}"; do
  ((n < ATTEMPTS)) || fail "could not download ${url} after ${ATTEMPTS} attempts (no internet route or NAT?)"
  log "download of ${url} failed (try ${n}); retrying in ${d}s"
  sleep "${d}"
  n=$((n + 1)) d=$((d * 2))
done

if [[ "${UNZIP}" == auto ]]; then # AL2023 may lack unzip; dnf, else python3's zipfile
  command -v unzip >/dev/null || dnf install -y unzip >&2 || true
  UNZIP=python3
  if command -v unzip >/dev/null; then UNZIP=unzip; fi
fi
log "unpacking with ${UNZIP}"
if [[ "${UNZIP}" == unzip ]]; then
  unzip -q "${work}/cli.zip" -d "${work}"
else # zipfile drops Unix modes: restore them so the CLI stays executable
  python3 -c 'import os, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    p = z.extract(i, sys.argv[2])
    if i.external_attr >> 16 and not i.is_dir(): os.chmod(p, i.external_attr >> 16 & 0o7777)
' "${work}/cli.zip" "${work}"
fi

"${work}/aws/install" --install-dir "${DIR}" --bin-dir "${DIR}/bin" --update >&2
installed || fail "installed, but ${AWS} does not run or resolves outside ${DIR}"
log "installed $("${AWS}" --version 2>&1) at ${AWS}"
