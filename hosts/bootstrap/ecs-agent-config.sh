#!/bin/bash
# nextflow-batch: ECS agent settings. A cloud-boothook: runs every boot before the agent
# starts; sets each key exactly once (replacing older values), so reruns add nothing.
# Never sets ECS_CLUSTER: AWS Batch adds its own part for that.
# Variables: aws/amazon-ecs-agent README, docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html
# Env overrides for tests: NFB_ECS_CONFIG NFB_LOG_FILE
set -Eeuo pipefail
CONFIG="${NFB_ECS_CONFIG:-/etc/ecs/ecs.config}"
LOG_FILE="${NFB_LOG_FILE:-/var/log/nextflow-batch-bootstrap.log}"
SETTINGS=(
  # Reuse a cached image instead of pulling per task: Docker Hub rate limits, slow pulls.
  ECS_IMAGE_PULL_BEHAVIOR=prefer-cached
  # On a Spot interruption notice, stop placing jobs on this host.
  ECS_ENABLE_SPOT_INSTANCE_DRAINING=true
  # SIGTERM-to-SIGKILL (default 30s): time for a task to save logs/exit code to S3.
  ECS_CONTAINER_STOP_TIMEOUT=90s
  # Delete stopped containers after 10m, not 3h: many short tasks otherwise fill the disk.
  ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION=10m
  # $ECS_CONTAINER_METADATA_FILE in each container: task ARN and image, for debugging.
  ECS_ENABLE_CONTAINER_METADATA=true
)

log() {
  local l
  l="$(date -u +%FT%TZ) nextflow-batch-bootstrap[ecs-agent-config]: $*"
  printf '%s\n' "${l}" >&2
  { printf '%s\n' "${l}" >>"${LOG_FILE}"; } 2>/dev/null || true
}
trap 'log "ERROR: exit $? at line ${LINENO}: ${BASH_COMMAND}; the ECS agent keeps its defaults"' ERR

mkdir -p "${CONFIG%/*}"
touch "${CONFIG}"
# A last line without its newline would swallow our first line.
if [[ -n "$(tail -c 1 "${CONFIG}")" ]]; then echo >>"${CONFIG}"; fi
for setting in "${SETTINGS[@]}"; do
  key="${setting%%=*}"
  count="$(grep -c "^${key}=" "${CONFIG}" || true)"
  if [[ "${count}" == 1 ]] && grep -qxF "${setting}" "${CONFIG}"; then continue; fi
  if [[ "${count}" == 0 ]]; then
    echo "${setting}" >>"${CONFIG}"
  else # keep the first line of the key, with our value; drop the others
    awk -v k="${key}=" -v s="${setting}" 'index($0, k) == 1 { if (!d++) print s; next } { print }' \
      "${CONFIG}" >"${CONFIG}.nfb"
    cat "${CONFIG}.nfb" >"${CONFIG}" # keeps the file's owner and mode
    rm -f "${CONFIG}.nfb"
  fi
  log "set ${setting} in ${CONFIG}"
done
