#!/usr/bin/env bash
# A real S3 server on this machine without Docker: a one-host Ceph cluster (one monitor, one
# BlueStore OSD on a sparse file, pool size 1) with the RADOS Gateway (Ceph's S3 implementation:
# versioning, SigV4, multipart, presigned URLs) on a loopback port. Everything lives under DIR —
# configuration, keys, data, logs and PIDs — never in /etc/ceph or /var/lib/ceph.
#
#   tests/s3-server.sh start DIR   # idempotent; prints the MINDORA_TEST_S3 connection string
#   tests/s3-server.sh stop DIR    # stops the daemons this script started (by their PIDs)
#   tests/s3-server.sh status DIR  # running daemons and the connection string
#
# Needs Debian's packages (as root, once, ~70 MB):
#   apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common
# No ceph-mgr is needed: the gateway only needs the monitor and the OSD. Data survive stop/start;
# `rm -rf DIR` after a stop removes everything and gives the disk space back. The OSD is a sparse
# file of OSD_SIZE (default 10G, fixed at the first start): it grows as data are written and never
# shrinks (BlueStore cannot discard on a file), so it takes up to OSD_SIZE of the disk. The suite
# needs well under 1G; the 1 GiB benchmark wants OSD_SIZE=20G.
set -euo pipefail

usage() { echo "usage: $0 start|stop|status DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
conf=$dir/ceph.conf
ceph_cli() { timeout 60 ceph -c "$conf" "$@"; }

alive() { [[ -s $dir/$1.pid ]] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 20000))
        if [[ -z $(ss -Htln "sport = :$port") ]] && ! grep -qx "$port" "$dir/ports" 2>/dev/null; then
            echo "$port" >> "$dir/ports"
            echo "$port"
            return
        fi
    done
    echo "no free port found" >&2
    exit 1
}

wait_for() { # daemon, description, seconds, command...
    local daemon=$1 what=$2 seconds=$3 deadline
    shift 3
    deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        if ! alive "$daemon"; then
            # A daemon that exits says why on stderr (e.g. the monitor refuses a disk under 5% free).
            echo "$daemon exited while waiting for $what:" >&2
            tail -n 3 "$dir/log/$daemon.out" >&2
            exit 1
        fi
        sleep 1
    done
    echo "timed out after ${seconds}s waiting for $what (logs: $dir/log)" >&2
    exit 1
}

connection_string() {
    # shellcheck source=/dev/null
    source "$dir/s3.env"
    echo "Endpoint=http://127.0.0.1:$RGW_PORT;AccessKey=$ACCESS_KEY;SecretKey=$SECRET_KEY"
}

# Background a daemon in the foreground mode (-f) so its PID is ours to record and stop.
launch() { # name, command...
    local name=$1
    shift
    if alive "$name"; then return; fi
    setsid "$@" </dev/null >>"$dir/log/$name.out" 2>&1 &
    echo $! > "$dir/$name.pid"
}

init_cluster() {
    local fsid mon_v2 mon_v1 rgw_port
    rm -f "$dir/ports"
    fsid=$(uuidgen)
    mon_v2=$(free_port)
    mon_v1=$(free_port)
    rgw_port=$(free_port)
    mkdir -p "$dir/log" "$dir/run" "$dir/mon.a" "$dir/osd.0" "$dir/rgw"
    cat > "$conf" <<EOF
[global]
fsid = $fsid
mon initial members = a
mon host = [v2:127.0.0.1:$mon_v2,v1:127.0.0.1:$mon_v1]
public network = 127.0.0.0/8
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $dir/keyring
run dir = $dir/run
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
log to stderr = false
err to stderr = true
# one OSD on one host: one copy, placed on any OSD, few placement groups, no autoscaler (no mgr)
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
mon allow pool delete = true
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
rgw rados pool pg num min = 8
[mon]
mon data = $dir/mon.\$id
[osd]
osd data = $dir/osd.\$id
osd objectstore = bluestore
bluestore block create = true
bluestore block size = ${OSD_SIZE:-10G}
bluestore block db create = false
bluestore block wal create = false
bluestore fsck on mount = false
bdev enable discard = false
osd memory target = 1073741824
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
# reclaim the data of overwritten and deleted objects after a minute, not two hours (benchmarks overwrite GiBs)
rgw gc obj min wait = 60
rgw gc processor period = 60
EOF
    ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
    ceph-authtool "$dir/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
    ceph-authtool "$dir/keyring" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap osd 'allow *' --cap mgr 'allow profile osd' >/dev/null
    ceph-authtool "$dir/keyring" --gen-key -n client.rgw.a --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null
    monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_v2,v1:127.0.0.1:$mon_v1]" "$dir/monmap" >/dev/null
    ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring"
    local osd_uuid
    osd_uuid=$(uuidgen)
    ceph-osd -c "$conf" -i 0 --mkfs --no-mon-config --osd-uuid "$osd_uuid" 2>>"$dir/log/osd.0.out"
    echo "$osd_uuid" > "$dir/osd.0/mindora-uuid"
    {
        echo "RGW_PORT=$rgw_port"
        echo "ACCESS_KEY=$(tr -dc 'A-Z0-9' </dev/urandom | head -c 20)"
        echo "SECRET_KEY=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)"
    } > "$dir/s3.env"
}

start() {
    local fresh=false
    if [[ ! -f $dir/s3.env ]]; then
        init_cluster
        fresh=true
    fi

    launch mon.a ceph-mon -c "$conf" -i a -f
    wait_for mon.a "the monitor" 60 timeout 10 ceph -c "$conf" --connect-timeout 5 mon stat
    if $fresh; then
        ceph_cli osd new "$(cat "$dir/osd.0/mindora-uuid")" 0 >/dev/null
    fi

    launch osd.0 ceph-osd -c "$conf" -i 0 -f
    wait_for osd.0 "the OSD to come up" 120 bash -c "timeout 10 ceph -c '$conf' osd dump --format json | grep -q '\"up\":1'"
    launch rgw.a radosgw -c "$conf" -n client.rgw.a -f
    # shellcheck source=/dev/null
    source "$dir/s3.env"
    wait_for rgw.a "the gateway on port $RGW_PORT" 180 curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:$RGW_PORT/"
    if ! timeout 60 radosgw-admin -c "$conf" user info --uid=mindora >/dev/null 2>&1; then
        timeout 60 radosgw-admin -c "$conf" user create --uid=mindora --display-name="Mindora tests" \
            --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
    fi

    connection_string
}

stop() {
    local name pid
    for name in rgw.a osd.0 mon.a; do
        if alive "$name"; then
            pid=$(cat "$dir/$name.pid")
            kill "$pid"
            for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
            if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
        fi
        rm -f "$dir/$name.pid"
    done
}

case $action in
    start) start ;;
    stop) stop ;;
    status)
        for name in mon.a osd.0 rgw.a; do
            if alive "$name"; then echo "$name running (pid $(cat "$dir/$name.pid"))"; else echo "$name stopped"; fi
        done
        [[ -f $dir/s3.env ]] && connection_string
        ;;
    *) usage ;;
esac
