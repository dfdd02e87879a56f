#!/bin/bash
# nextflow-batch host bootstrap: put /var/lib/docker on the instance-store NVMe disks.
#
# Shipped as a `text/cloud-boothook` part (see userData.ts). Why a boothook and not a late
# x-shellscript: on the ECS-optimized AL2023 image the docker and ecs units wait for
# cloud-init, and boothooks run early in cloud-init's init stage, on EVERY boot. So the
# filesystem is mounted before Docker ever writes to /var/lib/docker, nothing has to stop
# and restart Docker under the ECS agent, and a reboot re-mounts the disks by simply
# running this script again. (A late script would have to stop docker, mount, start it
# again with `systemctl start --no-block`; that is the fallback below if Docker is
# unexpectedly running already.)
#
# Why no /etc/fstab entry: this script runs on every boot anyway, and instance-store data
# only survives a reboot, not a stop/start. After a stop/start an fstab entry names a
# filesystem UUID that no longer exists, and even with `nofail` systemd waits for the
# device (90 s by default) before giving up. Mounting here keeps one source of truth.
#
# What it does, in order:
#   1. Finds instance-store disks: /dev/disk/by-id/nvme-Amazon_EC2_NVMe_Instance_Storage_*
#      (EBS volumes are nvme-Amazon_Elastic_Block_Store_* and are never matched), skipping
#      udev's "-partN" partition links and de-duplicating udev's "_1" namespace links by
#      the resolved device.
#   2. Zero disks: logs that Docker stays on the root volume and exits 0.
#      One disk: uses it directly. Two or more: RAID0 with mdadm (installed if missing).
#   3. Reuses an existing array and XFS filesystem (reboot); formats only blank devices,
#      never a device that carries any other signature.
#   4. Mounts the filesystem at /var/lib/docker with noatime.
#
# Environment overrides (the defaults are what a real host needs; tests override them):
#   NFB_BY_ID_DIR         where to look for disk links        (/dev/disk/by-id)
#   NFB_MOUNT_POINT       where Docker keeps its data         (/var/lib/docker)
#   NFB_MD_DEVICE         md device to create or assemble     (/dev/md0)
#   NFB_LOG_FILE          log file                            (/var/log/nextflow-batch-bootstrap.log)
#   NFB_CONSOLE           console device for errors           (/dev/console)
#   NFB_MANAGE_SERVICES   1 = may run udevadm/systemctl; 0 = never touch systemd (tests)
#   NFB_RETRY_DELAY_SECONDS  base delay between dnf retries   (5)
set -Eeuo pipefail

BY_ID_DIR="${NFB_BY_ID_DIR:-/dev/disk/by-id}"
MOUNT_POINT="${NFB_MOUNT_POINT:-/var/lib/docker}"
MD_DEVICE="${NFB_MD_DEVICE:-/dev/md0}"
LOG_FILE="${NFB_LOG_FILE:-/var/log/nextflow-batch-bootstrap.log}"
CONSOLE="${NFB_CONSOLE:-/dev/console}"
MANAGE_SERVICES="${NFB_MANAGE_SERVICES:-1}"
RETRY_DELAY_SECONDS="${NFB_RETRY_DELAY_SECONDS:-5}"

readonly INSTANCE_STORE_PREFIX="nvme-Amazon_EC2_NVMe_Instance_Storage_"
# XFS labels are at most 12 characters.
readonly FS_LABEL="nfb-docker"
readonly TAG="nextflow-batch-bootstrap[instance-store]"

log() {
  local line
  line="$(date -u +%Y-%m-%dT%H:%M:%SZ) ${TAG}: $*"
  # stderr reaches the EC2 console log through cloud-init's output capture; the file is
  # for people who log in or ship logs.
  printf '%s\n' "${line}" >&2
  { printf '%s\n' "${line}" >>"${LOG_FILE}"; } 2>/dev/null || true
}

fail() {
  log "ERROR: $*"
  log "ERROR: Docker will use the root volume; jobs that need scratch space may run out of disk."
  # Also write straight to the console so the message is in the EC2 console output even if
  # cloud-init's output capture is configured differently.
  if [[ -w "${CONSOLE}" ]]; then
    { printf '%s: ERROR: %s\n' "${TAG}" "$*" >"${CONSOLE}"; } 2>/dev/null || true
  fi
  exit 1
}

trap 'fail "unexpected failure (exit $?) at line ${LINENO}: ${BASH_COMMAND}"' ERR

# Runs "$@" up to 5 times, doubling the delay between attempts.
retry() {
  local attempt=1 delay="${RETRY_DELAY_SECONDS}"
  until "$@"; do
    if ((attempt >= 5)); then
      return 1
    fi
    log "attempt ${attempt} of '$*' failed; retrying in ${delay}s"
    sleep "${delay}"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
  done
}

# Prints the instance-store disks, one resolved device path per line, sorted naturally
# (nvme2n1 before nvme10n1) so the RAID member order is stable across boots.
find_instance_store_disks() {
  local link name dev
  local -A seen=()
  for link in "${BY_ID_DIR}/${INSTANCE_STORE_PREFIX}"*; do
    [[ -e "${link}" ]] || continue
    name="$(basename "${link}")"
    # udev's partition links (…-part1); we only ever use whole disks.
    [[ "${name}" =~ -part[0-9]+$ ]] && continue
    dev="$(readlink -f "${link}")"
    [[ -b "${dev}" ]] || continue
    # A partition that somehow got a whole-disk style name.
    [[ -e "/sys/class/block/$(basename "${dev}")/partition" ]] && continue
    # udev also makes "_1" namespace links to the same device: keep one per device.
    [[ -n "${seen[${dev}]:-}" ]] && continue
    seen[${dev}]=1
    printf '%s\n' "${dev}"
  done | sort -V
}

# Prints the md device that already holds this disk (an array the kernel or udev assembled
# at boot, possibly under another name such as /dev/md127), or nothing.
md_holder_of() {
  local holder
  for holder in "/sys/class/block/$(basename "$1")/holders/"md*; do
    [[ -e "${holder}" ]] || continue
    printf '/dev/%s\n' "$(basename "${holder}")"
    return 0
  done
  return 0
}

# Prints the filesystem/RAID signature on a device, or nothing if blank. `blkid -p` probes
# the device itself rather than a cache that may predate this boot.
signature_of() {
  local rc=0 type
  type="$(blkid -p -o value -s TYPE "$1" 2>/dev/null)" || rc=$?
  if ((rc == 2)); then
    # blkid: nothing found.
    return 0
  elif ((rc != 0)); then
    # Some other probe failure. A device with a partition table has PTTYPE but no TYPE.
    type="$(blkid -p -o value -s PTTYPE "$1" 2>/dev/null)" || type="unknown (blkid exit ${rc})"
  fi
  printf '%s\n' "${type}"
}

ensure_mdadm() {
  command -v mdadm >/dev/null 2>&1 && return 0
  # mdadm is not part of the AL2023 ECS-optimized image: its package list
  # (aws/amazon-ecs-ami, al2023.pkr.hcl, packages_al2023) does not add it to the AL2023
  # base, and Buildkite's AL2023-based stack had to install it for RAID0 over instance
  # storage (buildkite/elastic-ci-stack-for-aws#1190, fixing #1176).
  log "mdadm not found; installing it with dnf"
  retry dnf install -y mdadm || fail "could not install mdadm with dnf (no egress to the package repository?)"
  command -v mdadm >/dev/null 2>&1 || fail "dnf reported success but mdadm is still missing"
}

# Sets DEVICE to the block device to put the filesystem on: the single disk, or the RAID0
# array. (A global rather than output captured with $(...), so that `fail` exits the script
# itself instead of a subshell.)
DEVICE=""
prepare_device() {
  local -a disks=("$@")
  if ((${#disks[@]} == 1)); then
    DEVICE="${disks[0]}"
    return 0
  fi

  local holder
  holder="$(md_holder_of "${disks[0]}")"
  if [[ -n "${holder}" ]]; then
    log "instance-store disks are already assembled as ${holder} (reboot); reusing it"
    DEVICE="${holder}"
    return 0
  fi

  ensure_mdadm
  # After a reboot the disks still carry the array's superblocks: assemble exactly these
  # disks under our name. This fails harmlessly on first boot (blank disks).
  if mdadm --assemble "${MD_DEVICE}" "${disks[@]}" >&2; then
    log "assembled the existing RAID0 array ${MD_DEVICE} from ${disks[*]}"
    DEVICE="${MD_DEVICE}"
    return 0
  fi

  local disk sig
  for disk in "${disks[@]}"; do
    sig="$(signature_of "${disk}")"
    if [[ -n "${sig}" ]]; then
      fail "${disk} carries a '${sig}' signature but the disks did not assemble as an array; refusing to overwrite it. Inspect it with 'blkid -p ${disk}'; if it holds nothing of value, 'wipefs -a' the instance-store disks and reboot."
    fi
  done

  log "creating RAID0 array ${MD_DEVICE} from ${#disks[@]} disks: ${disks[*]}"
  # RAID0: no redundancy is needed for Docker's scratch data, which dies with the instance
  # anyway; striping adds up the disks' throughput and capacity. --run skips the
  # interactive confirmation. RAID0 has no initial resync to wait for.
  mdadm --create "${MD_DEVICE}" --level=0 --raid-devices="${#disks[@]}" --run "${disks[@]}" >&2 ||
    fail "mdadm --create ${MD_DEVICE} failed for ${disks[*]}"
  DEVICE="${MD_DEVICE}"
}

ensure_filesystem() {
  local device="$1" sig
  sig="$(signature_of "${device}")"
  case "${sig}" in
    xfs)
      log "reusing the existing XFS filesystem on ${device} (reboot); not formatting"
      ;;
    "")
      log "formatting ${device} as XFS"
      # XFS with ftype=1 (d_type in directory entries) is what Docker's overlay2 storage
      # driver requires on XFS; without it Docker refuses overlay2. ftype=1 is the
      # mkfs.xfs default nowadays; it is spelled out because Docker depends on it.
      # -K skips the discard pass: instance-store SSDs are delivered trimmed and
      # discarding terabytes can take minutes (awslabs/amazon-eks-ami#1900).
      # No -f: mkfs.xfs then refuses to overwrite an existing signature, a second guard.
      mkfs.xfs -q -K -n ftype=1 -L "${FS_LABEL}" "${device}" >&2 || fail "mkfs.xfs failed on ${device}"
      ;;
    *)
      fail "${device} already carries a '${sig}' signature; refusing to format it. Inspect it with 'blkid -p ${device}'."
      ;;
  esac
}

docker_running() {
  [[ "${MANAGE_SERVICES}" == "1" ]] && command -v systemctl >/dev/null 2>&1 &&
    systemctl is-active --quiet docker.service
}

main() {
  log "starting (disks under ${BY_ID_DIR}, target ${MOUNT_POINT})"

  if mountpoint -q "${MOUNT_POINT}"; then
    log "${MOUNT_POINT} is already a mount point ($(findmnt -n -o SOURCE "${MOUNT_POINT}")); nothing to do"
    return 0
  fi

  local -a disks=()
  mapfile -t disks < <(find_instance_store_disks)
  if ((${#disks[@]} == 0)) && [[ "${MANAGE_SERVICES}" == "1" ]] && command -v udevadm >/dev/null 2>&1; then
    # Early in boot udev may still be creating the by-id links: wait once, then look again.
    timeout 30 udevadm settle || true
    mapfile -t disks < <(find_instance_store_disks)
  fi

  if ((${#disks[@]} == 0)); then
    log "no instance-store NVMe disks found under ${BY_ID_DIR} (${INSTANCE_STORE_PREFIX}*);" \
      "Docker stays on the root volume. Use an instance type with NVMe instance storage (e.g. m5d) for this preset."
    return 0
  fi
  log "found ${#disks[@]} instance-store disk(s): ${disks[*]}"

  prepare_device "${disks[@]}"
  local device="${DEVICE}"
  ensure_filesystem "${device}"

  local restart_docker=0
  if docker_running; then
    # Only if something started Docker before this boothook: stop it so it does not keep
    # files open on the root volume's /var/lib/docker underneath the new mount.
    log "docker is already running; stopping it to mount ${MOUNT_POINT}"
    systemctl stop docker.socket docker.service
    restart_docker=1
  fi

  mkdir -p "${MOUNT_POINT}"
  # noatime: container layers are read constantly; access-time updates are pure overhead.
  mount -t xfs -o noatime "${device}" "${MOUNT_POINT}" || fail "could not mount ${device} at ${MOUNT_POINT}"
  mountpoint -q "${MOUNT_POINT}" || fail "${MOUNT_POINT} is not a mount point after mounting ${device}"

  if ((restart_docker == 1)); then
    # --no-block: docker is ordered after cloud-init, which is running this script;
    # waiting for it here would deadlock the boot.
    systemctl start --no-block docker.service
  fi

  log "mounted ${device} at ${MOUNT_POINT} ($(df -h --output=size "${MOUNT_POINT}" | tail -n 1 | tr -d ' ') XFS)"
}

main "$@"
