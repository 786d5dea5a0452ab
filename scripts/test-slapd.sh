#!/usr/bin/env bash
# A throwaway OpenLDAP slapd for the tests.
#
#   scripts/test-slapd.sh start DIR   build a cn=config folder in DIR, load the test directory
#                                     (Tests/GatehouseLDAPTests/Fixtures/base.ldif), start slapd
#                                     on 127.0.0.1 at a free port, wait until it answers, and
#                                     print its URL on stdout (one line, nothing else):
#                                     ldap://127.0.0.1:PORT
#   scripts/test-slapd.sh stop DIR    stop it (pid file DIR/run/slapd.pid) and remove DIR
#
# The directory: an mdb database for dc=gatehouse,dc=test with the syncprov overlay (RFC 4533)
# and StartTLS on the same port (a throwaway CA made with openssl; its certificate is
# DIR/tls/ca.pem, the server certificate names 127.0.0.1 and localhost).
#
# Fixed test credentials (test values only, never used outside the tests):
#   cn=admin,dc=gatehouse,dc=test            gatehouse-admin-test-password   rootdn, no limits
#   cn=gatehouse-sync,dc=gatehouse,dc=test   gatehouse-sync-test-password    service account:
#       reads everything except userPassword, no size or time limit (paged or not)
#   the users in base.ldif                    see the comment at its top
# Anyone else gets at most 10000 entries per search (olcSizeLimit; a default slapd gives 500).
#
# GATEHOUSE_SLAPD_EXTRA_LDIF=FILE loads FILE too (with slapadd, after the fixture, before slapd
# starts: far faster than ldapadd for a large generated directory, as the benchmark loads).
#
# Run as root (as CI does), slapd runs as the `openldap` user when it exists and can reach DIR
# (DIR is handed to it); otherwise it runs as the caller. A system slapd on port 389 is never
# touched. Errors go to stderr with slapd's log, and the exit status is non-zero.
set -euo pipefail

readonly SUFFIX="dc=gatehouse,dc=test"
readonly ADMIN_DN="cn=admin,$SUFFIX"
readonly ADMIN_PASSWORD="gatehouse-admin-test-password"
readonly SYNC_DN="cn=gatehouse-sync,$SUFFIX"
readonly SYNC_PASSWORD="gatehouse-sync-test-password"

die() {
    echo "test-slapd: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
}

[[ $# -eq 2 ]] || usage
command=$1
dir=$2
[[ -n $dir ]] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
fixture="$root/Tests/GatehouseLDAPTests/Fixtures/base.ldif"

# The OpenLDAP tools read ~/.ldaprc and /etc/ldap/ldap.conf unless told not to.
export LDAPNOINIT=1

is_root() { [[ $(id -u) -eq 0 ]]; }

find_tool() {
    local name=$1 d
    if command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
        return 0
    fi
    for d in /usr/sbin /usr/local/sbin /usr/libexec /usr/local/libexec; do
        if [[ -x $d/$name ]]; then
            echo "$d/$name"
            return 0
        fi
    done
    return 1
}

# The folder that holds the dynamically loadable backends and overlays (syncprov).
find_module_dir() {
    local d
    for d in /usr/lib/ldap /usr/lib64/openldap /usr/lib/openldap /usr/libexec/openldap \
        /usr/local/libexec/openldap /usr/local/lib/openldap /usr/lib/*/ldap; do
        if [[ -e $d/syncprov.la || -e $d/syncprov.so ]]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

find_schema_dir() {
    local d
    for d in /etc/ldap/schema /etc/openldap/schema /usr/local/etc/openldap/schema; do
        if [[ -f $d/core.ldif && -f $d/cosine.ldif && -f $d/inetorgperson.ldif ]]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

log_tail() {
    if [[ -f $dir/slapd.log ]]; then
        echo "--- last lines of $dir/slapd.log ---" >&2
        tail -n 30 "$dir/slapd.log" >&2 || true
    fi
}

# A throwaway CA and a server certificate for 127.0.0.1 / localhost, for StartTLS.
make_certificates() {
    command -v openssl >/dev/null 2>&1 || die "openssl is needed to make the test certificates"
    local tls=$dir/tls
    mkdir -p "$tls"
    (
        cd "$tls"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
            -subj "/CN=Gatehouse test CA" -keyout ca.key -out ca.pem \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -subj "/CN=127.0.0.1" -keyout server.key -out server.csr
        printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" \
            "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature" >server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
            -extfile server.ext -out server.pem
        rm -f server.csr server.ext ca.srl ca.key
    ) >"$dir/openssl.log" 2>&1 || {
        cat "$dir/openssl.log" >&2
        die "cannot make the test certificates"
    }
}

# The cn=config LDIF: global settings, modules, schema, the config and mdb databases.
write_config_ldif() {
    local module_dir=$1 schema_dir=$2 root_hash=$3 out=$4
    local load_mdb=""
    if [[ -e $module_dir/back_mdb.la || -e $module_dir/back_mdb.so ]]; then
        load_mdb="olcModuleLoad: back_mdb"
    fi
    cat >"$out" <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $dir/run/slapd.pid
olcArgsFile: $dir/run/slapd.args
olcLogLevel: none
olcTLSCACertificateFile: $dir/tls/ca.pem
olcTLSCertificateFile: $dir/tls/server.pem
olcTLSCertificateKeyFile: $dir/tls/server.key

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: $module_dir
$load_mdb
olcModuleLoad: syncprov

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file://$schema_dir/core.ldif

include: file://$schema_dir/cosine.ldif

include: file://$schema_dir/inetorgperson.ldif

include: file://$schema_dir/nis.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: 10000

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $SUFFIX
olcRootDN: $ADMIN_DN
olcRootPW: $root_hash
olcDbDirectory: $dir/data
olcDbMaxSize: 1073741824
olcDbNoSync: TRUE
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: cn eq
olcDbIndex: member eq
olcDbIndex: entryUUID eq
olcDbIndex: entryCSN eq
olcSizeLimit: 10000
olcLimits: {0}dn.exact="$SYNC_DN" size=unlimited size.pr=unlimited size.prtotal=unlimited time=unlimited
olcAccess: {0}to attrs=userPassword by self =xw by anonymous auth by * none
olcAccess: {1}to * by dn.exact="$SYNC_DN" read by self read by * none

dn: olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcSyncProvConfig
olcOverlay: {0}syncprov
olcSpCheckpoint: 100 10
olcSpSessionlog: 10000
EOF
}

start() {
    local slapd slapadd slappasswd module_dir schema_dir
    slapd=$(find_tool slapd) || die "cannot find slapd (install the slapd package)"
    slapadd=$(find_tool slapadd) || die "cannot find slapadd (install the slapd package)"
    slappasswd=$(find_tool slappasswd) || die "cannot find slappasswd (install the slapd package)"
    command -v ldapsearch >/dev/null 2>&1 || die "cannot find ldapsearch (install the ldap-utils package)"
    module_dir=$(find_module_dir) || die "cannot find the slapd modules folder (syncprov)"
    schema_dir=$(find_schema_dir) || die "cannot find the OpenLDAP schema folder (core.ldif)"
    [[ -f $fixture ]] || die "missing fixture $fixture"

    [[ ! -e $dir/config && ! -e $dir/run/slapd.pid ]] || die "$dir already holds a server; stop it first"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    mkdir -p "$dir/config" "$dir/data" "$dir/run"
    chmod 700 "$dir"

    make_certificates

    local root_hash
    root_hash=$("$slappasswd" -h '{SSHA}' -s "$ADMIN_PASSWORD")
    write_config_ldif "$module_dir" "$schema_dir" "$root_hash" "$dir/config.ldif"

    # slapadd works from the folder itself, so an unreadable working folder does not matter.
    cd "$dir"
    "$slapadd" -n0 -F "$dir/config" -l "$dir/config.ldif" >"$dir/slapadd.log" 2>&1 || {
        cat "$dir/slapadd.log" >&2
        die "slapadd -n0 (cn=config) failed"
    }
    "$slapadd" -q -n1 -F "$dir/config" -l "$fixture" >>"$dir/slapadd.log" 2>&1 || {
        cat "$dir/slapadd.log" >&2
        die "slapadd -n1 ($fixture) failed"
    }
    if [[ -n ${GATEHOUSE_SLAPD_EXTRA_LDIF:-} ]]; then
        [[ -f $GATEHOUSE_SLAPD_EXTRA_LDIF ]] || die "missing GATEHOUSE_SLAPD_EXTRA_LDIF file $GATEHOUSE_SLAPD_EXTRA_LDIF"
        "$slapadd" -q -n1 -F "$dir/config" -l "$GATEHOUSE_SLAPD_EXTRA_LDIF" >>"$dir/slapadd.log" 2>&1 || {
            tail -n 20 "$dir/slapadd.log" >&2
            die "slapadd -n1 ($GATEHOUSE_SLAPD_EXTRA_LDIF) failed"
        }
    fi

    # Under root, hand everything to the openldap user if it can reach DIR.
    local run_as=()
    if is_root && id -u openldap >/dev/null 2>&1 && command -v runuser >/dev/null 2>&1; then
        chown -R openldap: "$dir"
        if runuser -u openldap -- test -r "$dir/config" -a -x "$dir/config" 2>/dev/null; then
            run_as=(-u openldap -g "$(id -gn openldap)")
        else
            chown -R root: "$dir"
        fi
    fi

    local detach=""
    command -v setsid >/dev/null 2>&1 && detach=setsid

    local attempt port url i
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        port_in_use "$port" && continue
        url="ldap://127.0.0.1:$port"
        rm -f "$dir/run/slapd.pid"
        # -d 0 keeps slapd in the foreground with its messages on stderr (the log); setsid
        # detaches it from the caller's terminal and signals.
        $detach "$slapd" -d 0 -h "$url/" -F "$dir/config" "${run_as[@]}" \
            </dev/null >"$dir/slapd.log" 2>&1 &
        local pid=$!
        for i in $(seq 1 100); do
            if ! kill -0 "$pid" 2>/dev/null; then
                break
            fi
            if ldapsearch -x -H "$url" -D "$SYNC_DN" -w "$SYNC_PASSWORD" -b "$SUFFIX" -s base \
                -LLL dn >/dev/null 2>&1; then
                echo "$pid" >"$dir/run/launcher.pid"
                echo "$url"
                return 0
            fi
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            log_tail
            die "slapd started but does not answer on $url"
        fi
        # Another process may have taken the port between the check and the start.
        if grep -qi "address already in use\|bind.*failed" "$dir/slapd.log" 2>/dev/null; then
            continue
        fi
        break
    done
    log_tail
    die "cannot start slapd in $dir"
}

# The pid of our slapd, if it is still running (checked by name, never a recycled pid).
running_pid() {
    local file pid
    for file in "$dir/run/slapd.pid" "$dir/run/launcher.pid"; do
        [[ -f $file ]] || continue
        pid=$(tr -dc '0-9' <"$file")
        [[ -n $pid ]] || continue
        if kill -0 "$pid" 2>/dev/null && [[ $(cat "/proc/$pid/comm" 2>/dev/null || echo slapd) == slapd ]]; then
            echo "$pid"
            return 0
        fi
    done
    return 1
}

stop() {
    [[ -d $dir ]] || return 0
    local pid i
    if pid=$(running_pid); then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$dir"
}

case $command in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
