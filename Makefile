# wagate — see README.md. The two commands that matter: make run, make test.
SHELL := /bin/bash
GO ?= go
BIN := bin
PKGS := ./events/... ./shared/... ./connector/... ./functions/... ./infra/...
export CGO_ENABLED ?= 0

.PHONY: run build test unit e2e lint fmt vet staticcheck bench tidy clean

## run: build and start the local runtime on :8084 (PORT to change it)
run: build
	./$(BIN)/wagate

## build: build bin/wagate (the local all-in-one binary)
build:
	$(GO) build -trimpath -o $(BIN)/wagate ./connector/cmd/wagate

## test: lint, then every unit, conformance and end-to-end test
test: lint
	$(GO) test -count=1 -timeout 15m $(PKGS)

## unit: the tests without the lint step
unit:
	$(GO) test -count=1 $(PKGS)

## lint: gofmt, go vet and staticcheck must be clean
lint: fmt vet staticcheck

fmt:
	@out=$$(gofmt -l events shared connector functions infra); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck: _tools/bin/staticcheck
	./_tools/bin/staticcheck $(PKGS)

_tools/bin/staticcheck: _tools/go.mod _tools/go.sum
	cd _tools && GOWORK=off $(GO) build -o bin/staticcheck honnef.co/go/tools/cmd/staticcheck

## bench: print the performance figures (name value unit), see docs/benchmarks.md
bench:
	@$(GO) build -trimpath -o $(BIN)/wagate ./connector/cmd/wagate
	@$(GO) run ./connector/cmd/wagate-bench -bin ./$(BIN)/wagate $(BENCHFLAGS)

## tidy: go mod tidy in every module
tidy:
	for m in events shared connector functions infra; do (cd $$m && GOWORK=off GOFLAGS=-mod=mod $(GO) mod tidy) || exit 1; done

clean:
	rm -rf $(BIN) _tools/bin
