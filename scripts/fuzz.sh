#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/Targets/ with AddressSanitizer into .build-fuzz/, runs
# each for a bounded time from a copy of its seed corpus, and prints a table of the results.
#
#   scripts/fuzz.sh                    build and run every target for FUZZ_SECONDS (default 60)
#   scripts/fuzz.sh jws scim           only these targets
#   scripts/fuzz.sh --build            build only (the binaries land in .build-fuzz/bin/)
#   scripts/fuzz.sh --list             the target names
#   FUZZ_SECONDS=600 scripts/fuzz.sh policy
#
# No SwiftPM target is involved: each module a target needs is compiled with swiftc (whole
# module, -sanitize=fuzzer,address, -enable-testing so targets can reach internal parsers)
# into one object file and a .swiftmodule under .build-fuzz/modules/, Yams' C part (CYaml)
# with the toolchain's clang, and each target is linked from its own file and those objects.
# A module is rebuilt when one of its sources or a module it imports changed.
#
# Seeds are read from Fuzz/Corpus/<target>/ and copied to .build-fuzz/corpus/<target>/, where
# new inputs go; the repository's corpora are never written. A crash, leak, timeout or
# out-of-memory stops that target, is saved under .build-fuzz/artifacts/<target>/ and makes
# the script fail after the table, naming the reproducer. Fuzz/README.md says how to replay it.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.build-fuzz
seconds=${FUZZ_SECONDS:-60}
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "fuzz: FUZZ_SECONDS must be a positive number of seconds" >&2; exit 2; }

# Target -> the modules it links, in build order (each after what it imports).
declare -A target_modules=(
    [jws]="GatehouseCrypto GatehouseJOSE"
    [jwks]="GatehouseCrypto GatehouseJOSE"
    [form]="GatehouseCore GatehouseCrypto GatehouseJOSE GatehouseKeys GatehouseSCIM GatehouseStore GatehouseOAuth"
    [scim]="GatehouseCore GatehouseSCIM"
    [ldap-dn]="GatehouseCore GatehouseLDAP"
    [policy]="CYaml Yams GatehouseCore GatehousePolicy"
)
all_targets=(jws jwks form scim ldap-dn policy)

# Module -> the modules it imports (must be built first).
declare -A module_deps=(
    [CYaml]=""
    [Yams]="CYaml"
    [GatehouseCore]=""
    [GatehouseCrypto]=""
    [GatehouseJOSE]="GatehouseCrypto"
    [GatehouseKeys]="GatehouseCrypto GatehouseJOSE"
    [GatehouseStore]="GatehouseCore GatehouseCrypto GatehouseSCIM"
    [GatehouseOAuth]="GatehouseCore GatehouseCrypto GatehouseJOSE GatehouseKeys GatehouseSCIM GatehouseStore"
    [GatehouseSCIM]="GatehouseCore"
    [GatehouseLDAP]="GatehouseCore"
    [GatehousePolicy]="GatehouseCore Yams"
)

# GatehouseLDAP links libldap; the DN parser and the escaping need none of it, so only these
# files are compiled (as a module of the same name).
ldap_pure_files=(DistinguishedName.swift DistinguishedName+Matching.swift DNParser.swift LDAPEscape.swift
    LDAPError.swift LDAPResultCode.swift)

die() {
    echo "fuzz: $*" >&2
    exit 1
}

build_only=0
targets=()
for arg in "$@"; do
    case $arg in
        --build) build_only=1 ;;
        --list) printf '%s\n' "${all_targets[@]}"; exit 0 ;;
        -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $arg (try --help)" ;;
        *) [[ -n ${target_modules[$arg]+x} ]] || die "no target '$arg' (targets: ${all_targets[*]})"; targets+=("$arg") ;;
    esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")

# --- Toolchain: libFuzzer and ASan ship with the Swift toolchain on Linux ---------------------
swiftc=$(command -v swiftc) || die "swiftc is not on PATH"
toolbin=$(dirname "$(readlink -f "$swiftc")")
clang=$toolbin/clang
[[ -x $clang ]] || die "the Swift toolchain has no clang at $clang (needed for Yams' C sources)"
arch=$(uname -m)
runtimes=$(ls -d "$toolbin"/../lib/clang/*/lib/linux 2>/dev/null | head -n 1 || true)
for lib in fuzzer asan; do
    [[ -n $runtimes && -e $runtimes/libclang_rt.$lib-$arch.a ]] ||
        die "the Swift toolchain at $toolbin/.. has no libclang_rt.$lib-$arch.a: libFuzzer and AddressSanitizer need the full swift.org Linux toolchain"
done
# Swift's own crash backtracer reads raw stack memory, which ASan reports as a second, false
# error after every trap; libFuzzer's deadly-signal handler prints a symbolised stack instead.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
if [[ -x $toolbin/llvm-symbolizer ]]; then
    export ASAN_SYMBOLIZER_PATH=$toolbin/llvm-symbolizer
fi

mkdir -p "$out"/{modules,bin,corpus,artifacts,logs}

swift_flags=(-sanitize=fuzzer,address -O -g -parse-as-library -enable-testing -wmo -I "$out/modules" -I Sources/COpenSSL)
# Gatehouse's own modules build as Package.swift says (Swift 6, its upcoming features); Yams
# as its own manifest says (Swift 5 mode), with SWIFT_PACKAGE set as SwiftPM sets it.
gatehouse_flags=(-swift-version 6 -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault)
yams_flags=(-swift-version 5 -D SWIFT_PACKAGE)
c_flags=(-fsanitize=fuzzer-no-link,address -O1 -g -DYAML_DECLARE_STATIC)

# A changed compiler or flag set invalidates everything built before.
stamp="$($swiftc --version 2>&1 | head -n 1) | ${swift_flags[*]} | ${gatehouse_flags[*]} | ${yams_flags[*]} | ${c_flags[*]}"
if [[ ! -f $out/flags || $(cat "$out/flags") != "$stamp" ]]; then
    rm -rf "${out:?}/modules" "${out:?}/bin"
    mkdir -p "$out/modules" "$out/bin"
    printf '%s' "$stamp" >"$out/flags"
fi

# The probe: a one-line fuzz target must compile, link and run.
if [[ ! -x $out/bin/.probe ]]; then
    printf '%s\n' '@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ d: UnsafePointer<UInt8>, _ n: Int) -> CInt { 0 }' \
        >"$out/probe.swift"
    "$swiftc" -sanitize=fuzzer,address -parse-as-library "$out/probe.swift" -o "$out/bin/.probe" \
        >"$out/logs/probe.log" 2>&1 && "$out/bin/.probe" -runs=1 >>"$out/logs/probe.log" 2>&1 || {
        cat "$out/logs/probe.log" >&2
        die "swiftc -sanitize=fuzzer,address cannot build a fuzz target here (log above)"
    }
fi

yams_dir() {
    local d
    for d in .build/checkouts/Yams .build/checkouts/yams; do
        [[ -f $d/Sources/Yams/Parser.swift ]] && { echo "$d"; return 0; }
    done
    return 1
}

needs_yams=0
for t in "${targets[@]}"; do [[ " ${target_modules[$t]} " == *" Yams "* ]] && needs_yams=1; done
if [[ $needs_yams -eq 1 ]] && ! yams_dir >/dev/null; then
    echo "fetching package dependencies (swift package resolve) for Yams' sources" >&2
    swift package resolve >&2
fi
yams=$(yams_dir || true)
[[ $needs_yams -eq 0 || -n $yams ]] || die "Yams' sources are not in .build/checkouts after swift package resolve"
# Whatever imports Yams needs its C module (CYaml) visible too.
yams_include=()
[[ -n $yams ]] && yams_include=(-I "$yams/Sources/CYaml/include" -Xcc -DYAML_DECLARE_STATIC)

module_sources() {
    local m=$1
    case $m in
        Yams) find "$yams/Sources/Yams" -name '*.swift' | sort ;;
        CYaml) find "$yams/Sources/CYaml/src" -name '*.c' | sort ;;
        GatehouseLDAP) printf "Sources/GatehouseLDAP/%s\n" "${ldap_pure_files[@]}" ;;
        *) find "Sources/$m" -name '*.swift' | sort ;;
    esac
}

# True when $1 is missing or older than any later argument.
stale() {
    local target=$1 f
    shift
    [[ -e $target ]] || return 0
    for f in "$@"; do [[ $f -nt $target ]] && return 0; done
    return 1
}

declare -A built=()
build_module() {
    local m=$1 dep
    [[ -n ${built[$m]+x} ]] && return 0
    for dep in ${module_deps[$m]}; do build_module "$dep"; done
    local sources=() deps=()
    mapfile -t sources < <(module_sources "$m")
    [[ ${#sources[@]} -gt 0 ]] || die "no sources for module $m"
    for dep in ${module_deps[$m]}; do deps+=("$out/modules/$dep.o"); done
    local object=$out/modules/$m.o list=$out/modules/$m.sources
    # A file added or removed counts as a change too.
    if [[ ! -f $list || $(cat "$list") != "$(printf '%s\n' "${sources[@]}")" ]] || stale "$object" "${sources[@]}" "${deps[@]}"; then
        echo "  compiling $m (${#sources[@]} files)" >&2
        rm -f "$object"
        if [[ $m == CYaml ]]; then
            local objects=() src
            mkdir -p "$out/modules/CYaml.objects"
            for src in "${sources[@]}"; do
                local o=$out/modules/CYaml.objects/$(basename "${src%.c}").o
                "$clang" "${c_flags[@]}" -I "$yams/Sources/CYaml/include" -c "$src" -o "$o" ||
                    die "cannot compile $src"
                objects+=("$o")
            done
            "$toolbin/llvm-ar" rcs "$out/modules/CYaml.a" "${objects[@]}"
            # CYaml's objects are linked through this archive; the .o marks it as built.
            touch "$object"
        else
            local extra=("${gatehouse_flags[@]}" "${yams_include[@]}")
            [[ $m == Yams ]] && extra=("${yams_flags[@]}" "${yams_include[@]}")
            "$swiftc" "${swift_flags[@]}" "${extra[@]}" -module-name "$m" -emit-module \
                -emit-module-path "$out/modules/$m.swiftmodule" -c "${sources[@]}" -o "$object" \
                >"$out/logs/$m.log" 2>&1 || {
                cat "$out/logs/$m.log" >&2
                die "cannot compile module $m (log: $out/logs/$m.log)"
            }
        fi
        printf '%s\n' "${sources[@]}" >"$list"
    fi
    built[$m]=1
}

build_target() {
    local t=$1 m
    local file=Fuzz/Targets/$t.swift
    [[ -f $file ]] || die "missing $file"
    local support=()
    mapfile -t support < <(find Fuzz/Support -name '*.swift' | sort)
    local inputs=("$file" "${support[@]}") link=() archives=()
    for m in ${target_modules[$t]}; do
        build_module "$m"
        inputs+=("$out/modules/$m.o")
        if [[ $m == CYaml ]]; then archives+=("$out/modules/CYaml.a"); else link+=("$out/modules/$m.o"); fi
    done
    # Archives last: the linker takes from them only what the objects before them need.
    link+=("${archives[@]}")
    local extra=("${gatehouse_flags[@]}" "${yams_include[@]}")
    if stale "$out/bin/$t" "${inputs[@]}"; then
        echo "  linking $t" >&2
        "$swiftc" "${swift_flags[@]}" "${extra[@]}" -module-name "fuzz_${t//-/_}" "$file" "${support[@]}" "${link[@]}" \
            -o "$out/bin/$t" >"$out/logs/$t.link.log" 2>&1 || {
            grep -v "Cannot export local symbol" "$out/logs/$t.link.log" >&2 || true
            die "cannot build target $t (log: $out/logs/$t.link.log)"
        }
    fi
}

echo "building fuzz targets into $out/ (${targets[*]})" >&2
for t in "${targets[@]}"; do build_target "$t"; done
if [[ $build_only -eq 1 ]]; then
    printf 'built: %s\n' "${targets[*]/#/$out/bin/}"
    exit 0
fi

# --- Running ---------------------------------------------------------------------------------
# libFuzzer stops a target at its first crash, so the crashes column is 0 or 1.
# libFuzzer's final statistic $2 from log $1 (-print_final_stats=1).
final_stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -n 1; }

rows=()
failed=()
for t in "${targets[@]}"; do
    corpus=$out/corpus/$t
    artifacts=$out/artifacts/$t
    log=$out/logs/$t.run.log
    rm -rf "$corpus"
    mkdir -p "$corpus" "$artifacts"
    [[ -d Fuzz/Corpus/$t ]] && cp -R "Fuzz/Corpus/$t/." "$corpus/"
    seeds=$(find "$corpus" -type f | wc -l)
    options=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
        -artifact_prefix="$artifacts/")
    [[ -f Fuzz/Dictionaries/$t.dict ]] && options+=(-dict="Fuzz/Dictionaries/$t.dict")
    echo "running $t for ${seconds}s from $seeds seeds (log: $log)" >&2
    status=0
    "$out/bin/$t" "${options[@]}" "$corpus" >"$log" 2>&1 || status=$?
    execs=$(final_stat "$log" number_of_executed_units)
    rate=$(final_stat "$log" average_exec_per_sec)
    added=$(final_stat "$log" new_units_added)
    initial=$(sed -n 's/.*INITED cov: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
    final=$(sed -n 's/.*cov: \([0-9]*\) ft:.*/\1/p' "$log" | tail -n 1)
    if [[ $status -ne 0 ]]; then
        # libFuzzer names the artefact on a line "Test unit written to PATH".
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        failed+=("$t|${artifact:-no artefact written, see $log}")
        crashes=1
    else
        crashes=0
    fi
    rows+=("$t|${execs:-?}|${rate:-?}|${added:-?} (cov ${initial:-?} -> ${final:-?})|$crashes")
done

printf '\n%-8s %14s %8s %28s %8s\n' target executions exec/s "new units (edges)" crashes
for row in "${rows[@]}"; do
    IFS='|' read -r t execs rate added crashes <<<"$row"
    printf '%-8s %14s %8s %28s %8s\n' "$t" "$execs" "$rate" "$added" "$crashes"
done
echo "corpora with the new inputs: $out/corpus/<target>/, logs: $out/logs/<target>.run.log"

if [[ ${#failed[@]} -gt 0 ]]; then
    echo >&2
    for f in "${failed[@]}"; do
        IFS='|' read -r t artifact <<<"$f"
        echo "fuzz: $t failed; reproducer: $artifact" >&2
        echo "      replay with: $out/bin/$t $artifact   (log: $out/logs/$t.run.log)" >&2
    done
    exit 1
fi
