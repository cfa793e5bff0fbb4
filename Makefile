# make test runs everything CI runs: vet, every test (parsers under the race
# detector), and each fuzz target for a short while.
GO        ?= go
FUZZTIME  ?= 10s
# Packages that read untrusted input run their tests with -race.
PARSERS   := ./screenplay/... ./breakdown/...

.PHONY: test vet lint unit unit-go fuzz bench load build chromium

test: chromium vet unit fuzz

# The browser tests (web/browser_test.go) drive Debian's chromium; a fresh
# machine gets it here. Without root we only say what to do: the tests then
# skip, or fail under CI=true.
chromium:
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then \
		:; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing chromium for the browser tests"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "chromium is missing: run 'sudo apt-get install -y chromium' for the browser tests"; \
	fi

build:
	$(GO) build -o bin/closedset ./cmd/closedset

vet:
	$(GO) vet ./...

# staticcheck and deadcode at pinned versions, fetched by go run (not in
# go.mod); not part of test. deadcode -test counts tests as roots, and
# exits 0 whatever it finds: any output fails the target.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEADCODE    := golang.org/x/tools/cmd/deadcode@v0.53.0
lint:
	$(GO) run $(STATICCHECK) ./...
	@out="$$($(GO) run $(DEADCODE) -test ./...)" || exit 1; \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi

# The unit tests run beside a throwaway PostgreSQL that scripts/testpg
# starts and always removes, even when a test fails; set
# CLOSEDSET_TEST_POSTGRES to a server URL to use that one instead.
unit:
	scripts/testpg run $(MAKE) --no-print-directory unit-go

unit-go:
	$(GO) test -race -count=1 $(PARSERS)
	# The full-size PDF bombs are too slow to inflate under -race, and the
	# corpus-wide stream checks (one goroutine) are run without it too.
	$(GO) test -count=1 -run 'RealSize|StreamReadsAsRead|OnTheCorpus' ./screenplay/ ./breakdown/report/
	$(GO) test -count=1 $$($(GO) list ./... | grep -v -e '^closedset/screenplay' -e '^closedset/breakdown')

# Every FuzzXxx in every package, $(FUZZTIME) each (20 targets: make test stays
# under 10 minutes on 2 cores; run longer with FUZZTIME=5m); seeds in testdata/fuzz/
# scripts/fuzz retries a run that only hit Go 1.26's fuzztime deadline race.
fuzz:
	GO=$(GO) scripts/fuzz $(FUZZTIME)

# The readers and the breakdown, with the two 20 MB inputs of issue 15
# (internal/benchtext: the corpus mixed with notes and boneyard, and a dense
# script), in MB/s and allocations; then the closedset binary beside wc -w
# on the same files, one run each, with its peak RSS.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 ./screenplay/ ./breakdown/ ./store/sqlite/
	GO=$(GO) scripts/benchcli

# The server under load: the scene list, a scene's readiness and the day
# board, $(LOADCLIENTS) clients for $(LOADTIME) each over loopback on a
# SQLite file, the client in the same process. Prints req/s, p50, p99 and
# the CPU a request; asserts nothing on timings.
LOADCLIENTS ?= 64
LOADTIME    ?= 10s
load:
	$(GO) test -count=1 ./web -run TestLoad -load -load.clients $(LOADCLIENTS) -load.duration $(LOADTIME) -v
