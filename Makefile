# Gatehouse: the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

SWIFT        ?= swift
BIN          := .build/debug/gatehouse
RELEASE_BIN  := .build/release
HOST         ?= 127.0.0.1
PORT         ?= 8080
DATABASE     ?= sqlite:data/gatehouse.sqlite

# Debian packages: what building needs, and what the tests add (real servers and tools).
BUILD_PACKAGES := libssl-dev libargon2-dev libldap-dev libpq-dev libsqlite3-dev libcrypt-dev pkg-config
TEST_PACKAGES  := postgresql slapd ldap-utils openssl python3-venv chromium chromium-driver

.PHONY: help deps test-deps build run test bench fuzz clean

help:
	@echo "make run    build, install missing system packages, create development keys, serve on http://$(HOST):$(PORT) (SQLite)"
	@echo "make test   install and start what the tests need (PostgreSQL, slapd) and run the whole suite"
	@echo "make bench  release build and benchmarks"
	@echo "make fuzz   build the libFuzzer targets (Fuzz/) and run each for FUZZ_SECONDS (60); FUZZ_TARGETS=\"jws scim\" picks some"

deps:
	@scripts/ensure-packages.sh $(BUILD_PACKAGES)

test-deps:
	@scripts/ensure-packages.sh $(BUILD_PACKAGES) $(TEST_PACKAGES)

build: deps
	$(SWIFT) build --product gatehouse

run: build
	@mkdir -p data
	$(BIN) keys generate --if-missing --keys Keys
	$(BIN) serve --host $(HOST) --port $(PORT) --database $(DATABASE) --policies Policies --keys Keys

# The whole suite against real engines. PostgreSQL and slapd run as throwaway servers on
# loopback and are stopped when the tests end, also when they fail.
test: test-deps
	@scripts/run-tests.sh

bench: deps
	$(SWIFT) build -c release --product gatehouse-bench
	@scripts/run-bench.sh

# libFuzzer + AddressSanitizer targets, built with swiftc into .build-fuzz/ (see Fuzz/README.md).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh $(FUZZ_TARGETS)

clean:
	rm -rf .build data
