# Gatehouse: `make run` builds everything and starts it on SQLite at http://localhost:8000;
# `make test` runs every test. Both install what they need.

# Go 1.26.8 has known net/http and TLS vulnerabilities; build with the patched toolchain,
# which the go command fetches from the module proxy.
export GOTOOLCHAIN := go1.27.3

GO      ?= go
BIN     := bin/gatehouse
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
# Our packages, named so that Go code shipped inside web/node_modules is never built or vetted.
GO_PKGS := ./cmd/... ./internal/... ./web
WEB_SRC := $(shell find web/src web/public web/build web/index.html web/package.json web/package-lock.json \
	web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)

.PHONY: all build run test test-go test-web test-e2e screenshots web-deps chromium openapi-types clean

all: build

## build: the gatehouse binary with the web app embedded. -s -w leaves out the symbol table
## and DWARF (a third of the file): panics still print their stacks, only a debugger loses
## its symbols (go build without them for one).
build: web/dist/index.html
	$(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(BIN) ./cmd/gatehouse

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web-deps: web/node_modules/.package-lock.json

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SRC)
	cd web && npm run build

## run: build, then serve on SQLite at http://localhost:8000, with mail in the development
## mailbox (data/mail/) unless GATEHOUSE_SMTP_URL is set, and Prometheus metrics on loopback
## at http://127.0.0.1:9100/metrics (GATEHOUSE_METRICS_ADDR to move them)
run: build
	GATEHOUSE_DEV_MAILBOX=$(if $(GATEHOUSE_SMTP_URL),false,true) \
	GATEHOUSE_METRICS_ADDR=$(or $(GATEHOUSE_METRICS_ADDR),127.0.0.1:9100) ./$(BIN) serve

## test: vet and every test (Go with the race detector, web unit tests, browser tests)
test: test-go test-web test-e2e

test-go:
	$(GO) vet $(GO_PKGS)
	$(GO) test -race -count=1 $(GO_PKGS)
	cd bench && $(GO) vet ./... && $(GO) test -race -count=1 ./...

test-web: web-deps
	cd web && npm run typecheck && npm run lint && npm test

test-e2e: build chromium
	cd web && GATEHOUSE_BIN=$(CURDIR)/$(BIN) npm run test:e2e

## bench: build, then measure fresh servers (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
## and write docs/benchmarks.md; BENCH_FLAGS=-quick for a CI-sized run (cd bench && go run . -h)
.PHONY: bench
bench: build
	cd bench && $(GO) run . -bin $(CURDIR)/$(BIN) -out $(CURDIR)/docs/benchmarks.md $(BENCH_FLAGS)

## screenshots: remake docs/screenshots/*.png (byte-stable; make test only compares, never writes)
screenshots: build chromium
	cd web && GATEHOUSE_SCREENSHOTS=write GATEHOUSE_BIN=$(CURDIR)/$(BIN) npx playwright test --project=chromium e2e/screenshots.spec.ts

## chromium: Debian's Chromium for the browser tests (browsers cannot be downloaded here)
chromium:
	@test -x /usr/bin/chromium || { \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## openapi-types: regenerate the web app's API types from the server's OpenAPI document
openapi-types: web-deps
	$(GO) run ./cmd/gatehouse openapi > web/openapi.json
	cd web && npm run gen:api

clean:
	rm -rf bin
	find web/dist -mindepth 1 ! -name .gitkeep -delete
