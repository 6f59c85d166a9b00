# wagate — see README.md. The two commands that matter: make run, make test.
SHELL := /bin/bash
GO ?= go
BIN := bin
PKGS := ./events/... ./shared/... ./connector/... ./functions/... ./infra/...
export CGO_ENABLED ?= 0

.PHONY: run build test unit e2e lint fmt vet staticcheck bench tidy clean aws-check emulator emulator-stop run-aws-local cdk-install synth bootstrap deploy diff destroy

## run: build and start the local runtime on :8084 (PORT to change it)
run: build
	./$(BIN)/wagate

## build: build bin/wagate (the local all-in-one binary)
build:
	$(GO) build -trimpath -o $(BIN)/wagate ./connector/cmd/wagate

## test: lint, then every unit, conformance and end-to-end test (the aws
## integration tests too when the emulator answers: `make emulator`)
# The failover and topology tests load the emulator heavily (real processes,
# 100 sessions); they run after the others, one package at a time, so the
# emulator's own timeouts (it drops an EventBridge delivery that waits more
# than 5 s) never make another package's test flaky.
HEAVY_PKGS := ./connector/failover/ ./connector/topology/
test: lint aws-check
	WAGATE_AWS_TEST_ENDPOINT=$(AWS_TEST_ENDPOINT) $(GO) test -count=1 -timeout 15m $$($(GO) list $(PKGS) | grep -v -e /connector/failover -e /connector/topology)
	WAGATE_AWS_TEST_ENDPOINT=$(AWS_TEST_ENDPOINT) $(GO) test -count=1 -timeout 15m -p 1 $(HEAVY_PKGS)

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
	@$(GO) build -trimpath -o $(BIN)/wagate-floor ./connector/cmd/wagate-bench/floorwa
	@$(GO) run ./connector/cmd/wagate-bench -bin ./$(BIN)/wagate -floor-bin ./$(BIN)/wagate-floor $(BENCHFLAGS)

## tidy: go mod tidy in every module
tidy:
	for m in events shared connector functions infra; do (cd $$m && GOWORK=off GOFLAGS=-mod=mod $(GO) mod tidy) || exit 1; done

clean:
	rm -rf $(BIN) _tools/bin cdk.out

# ---- aws runtime on one machine (docs/aws.md) ----------------------------
KUMO := _tools/bin/kumo
KUMO_HOST ?= 127.0.0.1
KUMO_PORT ?= 4566
KUMO_URL := http://$(KUMO_HOST):$(KUMO_PORT)
# Where the aws integration tests look for the emulator (shared/awstest).
AWS_TEST_ENDPOINT := $(or $(WAGATE_AWS_TEST_ENDPOINT),$(KUMO_URL))
EMULATOR_DIR := $(BIN)/emulator
STAGE ?= dev
# The aws SDK reads these: every client talks to the emulator.
AWS_LOCAL_ENV := AWS_ENDPOINT_URL=$(KUMO_URL) AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

## aws-check: say whether the aws integration tests run (CI=true: they must)
aws-check:
	@if curl -sf -m 2 $(AWS_TEST_ENDPOINT)/health >/dev/null 2>&1; then \
	  echo "aws integration tests: RUN against the emulator at $(AWS_TEST_ENDPOINT)"; \
	elif [ "$(CI)" = "true" ]; then \
	  echo "aws integration tests: no emulator at $(AWS_TEST_ENDPOINT), and CI=true requires one" >&2; exit 1; \
	else \
	  echo "aws integration tests: SKIPPED (no emulator at $(AWS_TEST_ENDPOINT); start it with \`make emulator\`)"; \
	fi

$(KUMO):
	cd _tools/kumo && GOWORK=off $(GO) build -o ../bin/kumo github.com/sivchari/kumo/cmd/kumo

## emulator: build kumo if missing, start it on $(KUMO_URL), provision stage $(STAGE)
emulator: $(KUMO)
	@mkdir -p $(EMULATOR_DIR)
	@if curl -sf -m 2 $(KUMO_URL)/health >/dev/null 2>&1; then \
	  echo "emulator already answering on $(KUMO_URL)"; \
	else \
	  KUMO_HOST=$(KUMO_HOST) KUMO_PORT=$(KUMO_PORT) nohup ./$(KUMO) >$(EMULATOR_DIR)/kumo.log 2>&1 & echo $$! >$(EMULATOR_DIR)/kumo.pid; \
	  for i in $$(seq 100); do curl -sf -m 1 $(KUMO_URL)/health >/dev/null 2>&1 && break; sleep 0.1; done; \
	  curl -sf -m 1 $(KUMO_URL)/health >/dev/null || { echo "kumo did not start, see $(EMULATOR_DIR)/kumo.log" >&2; exit 1; }; \
	  echo "emulator started on $(KUMO_URL) (pid $$(cat $(EMULATOR_DIR)/kumo.pid), log $(EMULATOR_DIR)/kumo.log)"; \
	fi
	@$(AWS_LOCAL_ENV) $(GO) run ./connector/cmd/wagate-provision -stage $(STAGE) >$(EMULATOR_DIR)/$(STAGE).env
	@echo "stage $(STAGE) provisioned: $(EMULATOR_DIR)/$(STAGE).env"

## emulator-stop: stop the kumo that `make emulator` started
emulator-stop:
	@if [ -f $(EMULATOR_DIR)/kumo.pid ]; then kill $$(cat $(EMULATOR_DIR)/kumo.pid) 2>/dev/null || true; rm -f $(EMULATOR_DIR)/kumo.pid; echo "emulator stopped"; \
	else echo "no emulator started by make emulator"; fi

## run-aws-local: the aws runtime on this machine against the emulator: the
## api function as an HTTP server on PORT (8084), the connector and the
## webhook function (consuming the rule's queue); Ctrl-C stops all three
run-aws-local: emulator
	@mkdir -p $(BIN)/aws
	$(GO) build -trimpath -o $(BIN)/aws/ ./functions/api ./functions/webhook ./connector/cmd/connector
	@set -a; . $(EMULATOR_DIR)/$(STAGE).env; export $(AWS_LOCAL_ENV); set +a; \
	export WAGATE_API_KEY=$${WAGATE_API_KEY:-dev} WAGATE_WEBHOOK_ALLOW_LOOPBACK=$${WAGATE_WEBHOOK_ALLOW_LOOPBACK:-true} \
	  WAGATE_DATA_DIR=$${WAGATE_DATA_DIR:-./data/aws-local} WAGATE_SIM_PORT=$${WAGATE_SIM_PORT:-8085}; export WAGATE_SIM_URL=$${WAGATE_SIM_URL:-http://127.0.0.1:$$WAGATE_SIM_PORT}; \
	echo "api on http://localhost:$${PORT:-8084} (X-API-Key: $$WAGATE_API_KEY); sim control on :$$WAGATE_SIM_PORT when WAGATE_ENGINE=sim"; \
	trap 'kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	./$(BIN)/aws/connector & ./$(BIN)/aws/webhook & ./$(BIN)/aws/api & wait

# ---- deployment: the CDK app in infra/ (docs/deploy.md) --------------------
# The CDK CLI (aws-cdk, pinned with Node 22 in _tools/cdk/package-lock.json)
# lives under _tools/, never at the repository root: Go ignores _tools, so
# its node_modules cannot disturb `go test`.
CDK_DIR := _tools/cdk
CDK_BIN := $(CDK_DIR)/node_modules/.bin
CDK_STAMP := $(CDK_DIR)/node_modules/.installed
# jsii (the Go CDK's bridge to aws-cdk-lib) and the CLI run on that Node 22
# when it is installed (the system Node otherwise): the infra tests too.
ifneq ($(wildcard $(CDK_BIN)/node),)
export JSII_NODE ?= $(abspath $(CDK_BIN)/node)
endif
# No telemetry, no version check, no notices: synth needs no network.
CDK := PATH="$(abspath $(CDK_BIN)):$$PATH" CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=1 $(CDK_BIN)/cdk
# STAGE (dev, prod, …) names every resource; CDK_CONTEXT adds settings,
# e.g. CDK_CONTEXT='-c alarmEmail=ops@example.com -c frappeWebhookUrl=https://…'
CDK_FLAGS = --no-notices -c stage=$(STAGE) $(CDK_CONTEXT)

## cdk-install: install the pinned CDK CLI under _tools/cdk (npm ci)
cdk-install: $(CDK_STAMP)

$(CDK_STAMP): $(CDK_DIR)/package.json $(CDK_DIR)/package-lock.json
	npm ci --prefix $(CDK_DIR) --no-audit --no-fund --loglevel=error
	@touch $@

## synth: synthesise stage $(STAGE) into cdk.out, offline (no AWS account;
## builds the functions for linux/arm64 without Docker)
synth: $(CDK_STAMP)
	@start=$$(date +%s); $(CDK) synth $(CDK_FLAGS) -q && \
	  echo "synthesised cdk.out/wagate-$(STAGE).template.json in $$(( $$(date +%s) - start )) s"

## bootstrap: prepare the AWS account/region of your credentials for CDK (once)
bootstrap: $(CDK_STAMP)
	$(CDK) bootstrap $(CDK_FLAGS)

## deploy: deploy stage $(STAGE) to the AWS account of your credentials
## (create its secrets first: README, "Deploy to AWS"; needs Docker for the connector image)
deploy: $(CDK_STAMP)
	$(CDK) deploy $(CDK_FLAGS) --outputs-file cdk.out/outputs-$(STAGE).json

## diff: what deploy would change in stage $(STAGE)
diff: $(CDK_STAMP)
	$(CDK) diff $(CDK_FLAGS)

## destroy: delete stage $(STAGE)'s stack (the media bucket is kept: README)
destroy: $(CDK_STAMP)
	$(CDK) destroy $(CDK_FLAGS)
