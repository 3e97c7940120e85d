# Thin wrapper: the work is in CMake (CMakePresets.json) and the scripts it names.
.PHONY: all setup build test demo bench package fuzz asan tsan clean
JOBS ?= $(shell nproc)

all: build

setup:
	@bash deploy/setup.sh

build:
	@bash deploy/setup.sh --minimal
	@cmake --preset default >/dev/null
	@cmake --build --preset default -j$(JOBS)

# Installs everything, builds, starts private PostgreSQL and Mosquitto, runs every test.
test: setup
	@cmake --preset default >/dev/null
	@cmake --build --preset default -j$(JOBS)
	@bash tests/run-all.sh

# Starts the Fleet API simulator, a private Mosquitto and the host on SQLite in ./demo-data (deploy/demo.sh).
demo:
	@bash deploy/setup.sh --demo
	@cmake --preset default >/dev/null
	@cmake --build --preset default -j$(JOBS)
	@bash deploy/demo.sh

bench: setup
	@cmake --preset default >/dev/null
	@cmake --build --preset default -j$(JOBS)
	@bash bench/run.sh $(BENCH)

# The Debian package: build/tessie-stats_<version>_<arch>.deb (docs/install.md).
package: build
	@cd build && cpack -G DEB

# Each libFuzzer target for FUZZ_SECONDS (default 600) in build-fuzz/; figures into docs/fuzzing.md.
FUZZ_SECONDS ?= 600
fuzz: setup
	@bash fuzz/run.sh $(FUZZ_SECONDS) --report

# Sanitizer trees (build-asan/, build-tsan/): build, private PostgreSQL and Mosquitto, unit, integration and
# resilience tests under AddressSanitizer + UBSan or ThreadSanitizer (docs/operations.md). Not part of make test.
SANITIZE_JOBS ?= 2
asan: setup
	@SANITIZE_JOBS=$(SANITIZE_JOBS) bash tests/sanitize.sh asan

tsan: setup
	@SANITIZE_JOBS=$(SANITIZE_JOBS) bash tests/sanitize.sh tsan

clean:
	rm -rf build build-fuzz build-asan build-tsan
