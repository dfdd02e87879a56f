#!/bin/bash
# nextflow-batch host bootstrap: ECS container agent settings for Nextflow workloads.
#
# Shipped as a `text/cloud-boothook` part (see userData.ts): boothooks run early in
# cloud-init's init stage on every boot, and the ECS agent on the ECS-optimized image is
# ordered after cloud-init, so these settings are in /etc/ecs/ecs.config before the agent
# reads it. A shell boothook rather than cloud-config `write_files` with `append: true`:
# write_files appends blindly (a value already in the file would be duplicated, and the
# agent would see two), while this script sets each key exactly once and replaces an
# older value, so running it on every boot never adds duplicate lines.
#
# ECS_CLUSTER is deliberately absent: AWS Batch merges its own user-data part that sets it.
#
# Sources for the variables and defaults: the agent configuration table in the
# aws/amazon-ecs-agent README and
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html
#
# Environment overrides (tests):
#   NFB_ECS_CONFIG  the agent's config file  (/etc/ecs/ecs.config)
#   NFB_LOG_FILE    log file                 (/var/log/nextflow-batch-bootstrap.log)
set -Eeuo pipefail

ECS_CONFIG="${NFB_ECS_CONFIG:-/etc/ecs/ecs.config}"
LOG_FILE="${NFB_LOG_FILE:-/var/log/nextflow-batch-bootstrap.log}"
readonly TAG="nextflow-batch-bootstrap[ecs-agent-config]"

SETTINGS=(
  # Use an image already on the host instead of pulling it again for every task: avoids
  # Docker Hub rate limits and repeated multi-GB pulls (default: pull every time).
  "ECS_IMAGE_PULL_BEHAVIOR=prefer-cached"
  # On a Spot interruption notice, mark the instance DRAINING so no new job lands on it.
  "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true"
  # Time between SIGTERM and SIGKILL (default 30s): lets Nextflow's task wrapper save its
  # exit code and logs to S3; well under the 2-minute Spot interruption notice.
  "ECS_CONTAINER_STOP_TIMEOUT=90s"
  # Remove stopped jobs' containers (and their writable layers) after 10 minutes instead of
  # 3 hours: thousands of short Nextflow tasks otherwise fill the Docker disk.
  "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION=10m"
  # Give each container $ECS_CONTAINER_METADATA_FILE (task ARN, image digest): useful when
  # debugging a failed task from inside it.
  "ECS_ENABLE_CONTAINER_METADATA=true"
)

log() {
  local line
  line="$(date -u +%Y-%m-%dT%H:%M:%SZ) ${TAG}: $*"
  printf '%s\n' "${line}" >&2
  { printf '%s\n' "${line}" >>"${LOG_FILE}"; } 2>/dev/null || true
}

trap 'log "ERROR: failed (exit $?) at line ${LINENO}: ${BASH_COMMAND}; the ECS agent runs with its defaults"' ERR

mkdir -p "$(dirname "${ECS_CONFIG}")"
touch "${ECS_CONFIG}"
# A file whose last line lacks its newline would glue our first line onto it.
# ($(...) strips a trailing newline, so this is empty exactly when the file ends in one.)
if [[ -n "$(tail -c 1 "${ECS_CONFIG}")" ]]; then
  printf '\n' >>"${ECS_CONFIG}"
fi

for setting in "${SETTINGS[@]}"; do
  key="${setting%%=*}"
  if grep -qxF -- "${setting}" "${ECS_CONFIG}" && [[ "$(grep -c -- "^${key}=" "${ECS_CONFIG}")" == "1" ]]; then
    continue
  fi
  if grep -q -- "^${key}=" "${ECS_CONFIG}"; then
    # Replace every earlier value of this key by one line with ours, in place.
    tmp="$(mktemp "${ECS_CONFIG}.XXXXXX")"
    awk -v key="${key}" -v setting="${setting}" '
      index($0, key "=") == 1 { if (!done) { print setting; done = 1 } next }
      { print }
    ' "${ECS_CONFIG}" >"${tmp}"
    chmod --reference="${ECS_CONFIG}" "${tmp}"
    mv -f "${tmp}" "${ECS_CONFIG}"
    log "replaced ${key} in ${ECS_CONFIG}: ${setting}"
  else
    printf '%s\n' "${setting}" >>"${ECS_CONFIG}"
    log "added to ${ECS_CONFIG}: ${setting}"
  fi
done
log "ECS agent settings are in place"
