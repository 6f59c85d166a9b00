// Package awstest connects integration tests to an AWS emulator (kumo, see
// docs/aws.md). Tests call Config; when no emulator answers they are skipped
// with a clear message — except in CI (CI=true), where that is a failure.
package awstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// DefaultEndpoint is where `make emulator` and .ci/run start kumo.
const DefaultEndpoint = "http://127.0.0.1:4566"

// Region is the region every test client uses.
const Region = "us-east-1"

var (
	probeOnce sync.Once
	probeErr  error
)

// Endpoint returns the emulator's URL (WAGATE_AWS_TEST_ENDPOINT or
// DefaultEndpoint) once it answers its health check.
func Endpoint(t testing.TB) string {
	t.Helper()
	ep := os.Getenv("WAGATE_AWS_TEST_ENDPOINT")
	if ep == "" {
		ep = DefaultEndpoint
	}
	probeOnce.Do(func() { probeErr = probe(ep) })
	if probeErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("AWS emulator not reachable at %s (CI must start it): %v", ep, probeErr)
		}
		t.Skipf("SKIP aws integration test: no AWS emulator at %s (run `make emulator`): %v", ep, probeErr)
	}
	return ep
}

func probe(ep string) error {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(strings.TrimRight(ep, "/") + "/health")
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// Config returns an aws.Config for the emulator with static test
// credentials; tests build service clients from it.
func Config(t testing.TB) aws.Config {
	t.Helper()
	ep := Endpoint(t)
	return aws.Config{
		Region:           Region,
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint:     aws.String(ep),
		RetryMaxAttempts: 3,
	}
}

// Unique returns prefix with a random suffix, for per-test resource names.
func Unique(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// Context returns a context bounded for one test.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
