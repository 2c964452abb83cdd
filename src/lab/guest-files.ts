// The few files of our own in the lab guest: /init, /sbin/shutdown and /etc/os-release.
// /init is a busybox sh script: it mounts the kernel filesystems, loads the virtio modules,
// finds the agent's port, keeps qemu-ga running (restarting it when it dies, so tests can
// kill it), and leaves a root shell on the console (ttyS0) for tests and people.

/** Where /init reads the module load order from, one name a line. */
export const MODULE_LIST = 'etc/qh-lab/modules';
/** Where the modules sit, flat, as NAME.ko. */
export const MODULE_DIR = 'lib/modules/qh-lab';
/** The pid of the running qemu-ga, rewritten at each restart. */
export const AGENT_PID_FILE = '/run/qemu-ga.pid';
/** Printed on the console once the agent has been started the first time. */
export const AGENT_STARTED_MARK = 'qh-lab: agent on';

export const GUEST_INIT = `#!/bin/busybox sh
# qemu-host lab guest: PID 1.
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin /proc /sys /dev /run /tmp /var /root
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
ln -sfn /run /var/run
hostname qh-lab
say() { echo "qh-lab: $*" >/dev/console; }

for m in $(cat /${MODULE_LIST}); do
  insmod /${MODULE_DIR}/$m.ko || say "insmod $m failed"
done

transport=virtio
for word in $(cat /proc/cmdline); do
  case "$word" in qh.transport=*) transport="\${word#qh.transport=}" ;; esac
done

if [ "$transport" = isa ]; then
  method=isa-serial
  port=/dev/ttyS1
  # Raw and without echo before the agent opens it, so no early input is echoed back.
  stty -F $port raw -echo || say "stty on $port failed"
else
  method=virtio-serial
  port=/dev/virtio-ports/org.qemu.guest_agent.0
  # No udev here: name the port after /sys/class/virtio-ports/*/name ourselves. The host
  # sends the name a moment after the port appears, so look for up to 5 s.
  mkdir -p /dev/virtio-ports
  i=0
  while [ ! -e $port ] && [ $i -lt 500 ]; do
    for p in /sys/class/virtio-ports/*; do
      [ -r "$p/name" ] || continue
      name=$(cat "$p/name")
      [ -n "$name" ] && ln -sfn "../\${p##*/}" "/dev/virtio-ports/$name"
    done
    [ -e $port ] || { sleep 0.01; i=$((i + 1)); }
  done
fi
[ -e $port ] || say "no $port: qemu-ga cannot start"

mkdir -p /run/qga
say "agent on $port ($method)"
(
  while true; do
    qemu-ga -m $method -p $port -t /run/qga &
    echo $! >${AGENT_PID_FILE}
    wait $!
    say "qemu-ga exited with status $?; restarting it"
    sleep 0.1
  done
) &

# A root shell on the console, restarted when it exits.
while true; do
  setsid sh -c 'exec sh -i </dev/ttyS0 >/dev/ttyS0 2>&1'
  sleep 0.1
done
`;

/** guest-shutdown runs `/sbin/shutdown -P|-H|-r +0 MESSAGE`; this one acts at once. */
export const GUEST_SHUTDOWN = `#!/bin/sh
# qemu-host lab guest: shutdown for qemu-ga's guest-shutdown.
case " $* " in
  *" -r "*) exec reboot -f ;;
esac
exec poweroff -f
`;

export const GUEST_OS_RELEASE = `NAME="qemu-host lab"
ID=qemu-host-lab
VERSION_ID=1
PRETTY_NAME="qemu-host lab guest (busybox, Debian kernel and qemu-guest-agent)"
`;
