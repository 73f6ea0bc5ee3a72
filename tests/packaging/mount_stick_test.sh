#!/bin/sh
# mount_stick_test.sh MOUNT_STICK — what packaging/mount-stick (run by udev for a USB
# file system) asks systemd-mount for: FAT and exFAT owned by the litfass user so the
# display may write its report, ext4 with its own owners, never executable or setuid.
# systemd-mount and id are stand-ins that print what they are given.
set -eu
script=$1
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
cat >"$bin/systemd-mount" <<'EOS'
#!/bin/sh
echo "$*"
EOS
cat >"$bin/id" <<'EOS'
#!/bin/sh
[ "$2" = litfass ] || exit 1
case $1 in -u) echo 997 ;; -g) echo 996 ;; esac
EOS
chmod 755 "$bin/systemd-mount" "$bin/id"
fail=0
expect() {
    got=$(PATH="$bin:$PATH" sh "$script" "$1" "$2" "$3")
    if [ "$got" = "$4" ]; then
        echo "ok: $3"
    else
        echo "FAIL: $3: got '$got', want '$4'"
        fail=1
    fi
}
common="--no-block --collect --automount=no"
expect /dev/sda1 sda1 vfat \
    "$common --options=nosuid,nodev,noexec,noatime,uid=997,gid=996,umask=0022,flush /dev/sda1 /media/litfass-sda1"
expect /dev/sdb sdb exfat \
    "$common --options=nosuid,nodev,noexec,noatime,uid=997,gid=996,umask=0022 /dev/sdb /media/litfass-sdb"
expect /dev/sdc1 sdc1 ext4 "$common --options=nosuid,nodev,noexec,noatime /dev/sdc1 /media/litfass-sdc1"
exit $fail
