#!/bin/bash
# nextflow-batch: put /var/lib/docker on the instance-store NVMe disks (RAID0 if 2+).
# A cloud-boothook: early on every boot, before Docker (hosts/bootstrap/README.md).
# Env overrides for tests: NFB_BY_ID_DIR NFB_MOUNT_POINT NFB_MD_DEVICE NFB_LOG_FILE
# NFB_CONSOLE NFB_RETRY_DELAY_SECONDS NFB_MANAGE_SERVICES (0: never touch systemd/udev).
set -Eeuo pipefail
BY_ID="${NFB_BY_ID_DIR:-/dev/disk/by-id}"
TARGET="${NFB_MOUNT_POINT:-/var/lib/docker}"
MD="${NFB_MD_DEVICE:-/dev/md0}"
LOG_FILE="${NFB_LOG_FILE:-/var/log/nextflow-batch-bootstrap.log}"
CONSOLE="${NFB_CONSOLE:-/dev/console}"
DELAY="${NFB_RETRY_DELAY_SECONDS:-5}"
MANAGE="${NFB_MANAGE_SERVICES:-1}"
PREFIX="nvme-Amazon_EC2_NVMe_Instance_Storage_" # EBS is nvme-Amazon_Elastic_Block_Store_*
TAG="nextflow-batch-bootstrap[instance-store]"

log() { # stderr reaches the EC2 console log via cloud-init; the file is for later
  local l
  l="$(date -u +%FT%TZ) ${TAG}: $*"
  printf '%s\n' "${l}" >&2
  { printf '%s\n' "${l}" >>"${LOG_FILE}"; } 2>/dev/null || true
}
fail() {
  log "ERROR: $* -- Docker stays on the root volume, which jobs may fill."
  { printf '%s: ERROR: %s\n' "${TAG}" "$*" >"${CONSOLE}"; } 2>/dev/null || true
  exit 1
}
trap 'fail "exit $? at line ${LINENO}: ${BASH_COMMAND}"' ERR

retry() { # up to 5 tries, doubling the delay
  local n=1 d="${DELAY}"
  until "$@"; do
    ((n < 5)) || return 1
    log "'$*' failed (try ${n}); retrying in ${d}s"
    sleep "${d}"
    n=$((n + 1)) d=$((d * 2))
  done
}

disks() { # whole instance-store disks, de-duplicated, in a stable order
  local link dev
  local -A seen=()
  for link in "${BY_ID}/${PREFIX}"*; do
    [[ -e "${link}" && ! "${link}" =~ -part[0-9]+$ ]] || continue # udev partition links
    dev="$(readlink -f "${link}")"
    [[ -b "${dev}" && ! -e "/sys/class/block/${dev##*/}/partition" ]] || continue
    [[ -z "${seen[${dev}]:-}" ]] || continue # udev's "_1" namespace duplicates
    seen[${dev}]=1
    printf '%s\n' "${dev}"
  done | sort -V
}

signature() { # filesystem/RAID/partition-table type, empty if blank
  local rc=0 t
  t="$(blkid -p -o value -s TYPE "$1")" || rc=$?
  ((rc == 2)) && return 0 # nothing found
  ((rc == 0)) || t="$(blkid -p -o value -s PTTYPE "$1")" || t="unreadable"
  printf '%s\n' "${t:-unknown}"
}

raid0() { # sets DEV to an existing, assembled or new array of the disks "$@"
  local h d s
  for h in "/sys/class/block/${1##*/}/holders/"md*; do
    if [[ -e "${h}" ]]; then
      DEV="/dev/${h##*/}"
      log "disks already assembled as ${DEV}"
      return 0
    fi
  done
  if ! command -v mdadm >/dev/null; then
    # Not on the AL2023 ECS AMI: aws/amazon-ecs-ami al2023.pkr.hcl adds no mdadm, and
    # buildkite/elastic-ci-stack-for-aws#1190 had to install it on AL2023.
    log "installing mdadm"
    retry dnf install -y mdadm >&2 || fail "dnf could not install mdadm"
  fi
  DEV="${MD}"
  if mdadm --assemble "${MD}" "$@" >&2; then # reboot: superblocks are there
    log "assembled existing array ${MD} from $*"
    return 0
  fi
  for d in "$@"; do
    s="$(signature "${d}")"
    [[ -z "${s}" ]] || fail "${d} holds '${s}' but did not assemble; not overwriting it (wipefs -a it if it is junk)"
  done
  log "creating RAID0 ${MD} from $*"
  mdadm --create "${MD}" --level=0 --raid-devices=$# --run "$@" >&2 || fail "mdadm --create ${MD} failed"
}

main() {
  if mountpoint -q "${TARGET}"; then
    log "${TARGET} is already mounted; nothing to do"
    return 0
  fi
  local -a found
  mapfile -t found < <(disks)
  if ((${#found[@]} == 0)) && [[ "${MANAGE}" == 1 ]] && command -v udevadm >/dev/null; then
    timeout 30 udevadm settle || true # early boot: links may still be on their way
    mapfile -t found < <(disks)
  fi
  if ((${#found[@]} == 0)); then
    log "no instance-store disks (${BY_ID}/${PREFIX}*); Docker stays on the root volume"
    return 0
  fi
  log "instance-store disks: ${found[*]}"
  DEV="${found[0]}"
  if ((${#found[@]} > 1)); then raid0 "${found[@]}"; fi

  local sig
  sig="$(signature "${DEV}")"
  if [[ "${sig}" == xfs ]]; then
    log "reusing the XFS filesystem on ${DEV}"
  elif [[ -z "${sig}" ]]; then
    # overlay2 on XFS requires ftype=1 (d_type); -K skips discard (disks come trimmed,
    # awslabs/amazon-eks-ami#1900); no -f, so mkfs.xfs never overwrites a signature.
    log "formatting ${DEV} as XFS"
    mkfs.xfs -q -K -n ftype=1 -L nfb-docker "${DEV}" >&2
  else
    fail "${DEV} holds '${sig}'; not formatting it"
  fi

  local restart=0
  if [[ "${MANAGE}" == 1 ]] && systemctl is-active --quiet docker.service; then
    log "docker already running; stopping it to mount ${TARGET}"
    systemctl stop docker.socket docker.service
    restart=1
  fi
  mkdir -p "${TARGET}"
  mount -t xfs -o noatime "${DEV}" "${TARGET}" # noatime: no write per layer read
  # --no-block: docker waits for cloud-init, which is running us; blocking would deadlock.
  if ((restart == 1)); then systemctl start --no-block docker.service; fi
  log "mounted ${DEV} at ${TARGET}"
}

main
