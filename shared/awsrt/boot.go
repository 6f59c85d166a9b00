package awsrt

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/wagate/wagate/shared/webhook"
)

// InLambda reports whether the process runs under a Lambda Runtime API
// (AWS, or an emulator that hosts the function: kumo passes
// AWS_LAMBDA_RUNTIME_API=127.0.0.1:4566/_runtime/<function>).
func InLambda() bool { return os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" }

// Boot starts a process of the aws runtime: it reads the configuration
// from the environment, opens the Runtime (logs and metrics on stdout) and
// returns a context that ends on SIGINT or SIGTERM. It exits the process,
// with the reason on stderr, when that fails.
func Boot(service string) (context.Context, *Runtime, context.CancelFunc) {
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		Exit(service, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	rt, err := Open(ctx, cfg, service, os.Stdout)
	if err != nil {
		stop()
		Exit(service, err)
	}
	return ctx, rt, stop
}

// Exit reports err on stderr and exits with status 1.
func Exit(service string, err error) {
	fmt.Fprintf(os.Stderr, "wagate %s: %v\n", service, err)
	os.Exit(1)
}

// APIHandlerChecked is APIHandler, refusing to start without an API key.
func (rt *Runtime) APIHandlerChecked() (http.Handler, error) {
	if len(rt.Config.APIKeys) == 0 {
		return nil, fmt.Errorf("neither WAGATE_API_KEY nor %s is set: the API needs at least one key", APIKeySecretEnv)
	}
	return rt.APIHandler(), nil
}

// WebhookLambda returns the webhook function's Lambda handler: it
// handles the invocation (a bus event, or the schedule rule's tick: a
// sweep, whose counts are the result) and writes the metrics.
func (rt *Runtime) WebhookLambda(h *WebhookHandler) func(context.Context, Envelope) (*webhook.SweepResult, error) {
	return func(ctx context.Context, env Envelope) (*webhook.SweepResult, error) {
		res, err := h.Invoke(ctx, env)
		if ferr := rt.EMF.Flush(); ferr != nil {
			rt.Log.Warn("write metrics", "err", ferr)
		}
		return res, err
	}
}
