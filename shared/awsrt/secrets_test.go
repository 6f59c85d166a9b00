package awsrt_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/wagate/wagate/shared/awsrt"
)

// fakeSecrets is Secrets Manager's GetSecretValue on a map; it counts the
// calls.
type fakeSecrets struct {
	values map[string]*string // nil value: a binary secret
	err    error
	calls  []string
}

func (f *fakeSecrets) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	id := aws.ToString(in.SecretId)
	f.calls = append(f.calls, id)
	if f.err != nil {
		return nil, f.err
	}
	v, ok := f.values[id]
	if !ok {
		return nil, errors.New("ResourceNotFoundException: Secrets Manager can't find the specified secret")
	}
	return &secretsmanager.GetSecretValueOutput{SecretString: v}, nil
}

func TestLoadSecrets(t *testing.T) {
	const keys, frappe = "k-one, k-two ,", "frappe-s3cret"
	secrets := func() *fakeSecrets {
		return &fakeSecrets{values: map[string]*string{
			"wagate/prod/api-keys": aws.String(keys), "wagate/prod/frappe-webhook-secret": aws.String(frappe + "\n"),
			"empty": aws.String(" , "), "blank": aws.String(" \n"), "binary": nil,
		}}
	}
	load := func(t *testing.T, kv map[string]string, sm awsrt.SecretGetter) (awsrt.Config, error) {
		t.Helper()
		c, err := awsrt.LoadConfig(env(kv))
		if err != nil {
			t.Fatal(err)
		}
		return c, awsrt.LoadSecrets(t.Context(), &c, sm)
	}

	t.Run("FromSecrets", func(t *testing.T) {
		sm := secrets()
		c, err := load(t, map[string]string{
			awsrt.APIKeySecretEnv: "wagate/prod/api-keys", awsrt.FrappeSecretEnv: "wagate/prod/frappe-webhook-secret",
			"WAGATE_API_KEY": "plain", "FRAPPE_WEBHOOK_SECRET": "plain",
		}, sm)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.APIKeys, []string{"k-one", "k-two"}) || c.Webhook.FrappeSecret != frappe {
			t.Fatalf("keys %q, frappe secret %q; want the secrets' values", c.APIKeys, c.Webhook.FrappeSecret)
		}
		if len(sm.calls) != 2 {
			t.Fatalf("%d GetSecretValue calls (%v), want one per secret", len(sm.calls), sm.calls)
		}
	})

	t.Run("FallbackToPlainVariables", func(t *testing.T) {
		sm := secrets()
		c, err := load(t, map[string]string{"WAGATE_API_KEY": "a,b", "FRAPPE_WEBHOOK_SECRET": "fs"}, sm)
		if err != nil {
			t.Fatal(err)
		}
		if c.HasSecrets() || len(sm.calls) != 0 || !slices.Equal(c.APIKeys, []string{"a", "b"}) || c.Webhook.FrappeSecret != "fs" {
			t.Fatalf("config %+v after %d calls: want the plain variables and no call", c, len(sm.calls))
		}
		// No ids and no client (the emulator, tests): nothing to read.
		if err := awsrt.LoadSecrets(t.Context(), &c, nil); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("OnlyTheFrappeSecret", func(t *testing.T) {
		c, err := load(t, map[string]string{awsrt.FrappeSecretEnv: "wagate/prod/frappe-webhook-secret"}, secrets())
		if err != nil || c.Webhook.FrappeSecret != frappe || len(c.APIKeys) != 0 {
			t.Fatalf("config %+v, %v: want the Frappe secret only (the webhook function)", c, err)
		}
	})

	for name, tc := range map[string]struct {
		kv map[string]string
		sm *fakeSecrets
	}{
		"Missing":       {map[string]string{awsrt.APIKeySecretEnv: "nope"}, secrets()},
		"NoKeys":        {map[string]string{awsrt.APIKeySecretEnv: "empty"}, secrets()},
		"EmptyFrappe":   {map[string]string{awsrt.FrappeSecretEnv: "blank"}, secrets()},
		"Binary":        {map[string]string{awsrt.FrappeSecretEnv: "binary"}, secrets()},
		"AccessDenied":  {map[string]string{awsrt.APIKeySecretEnv: "wagate/prod/api-keys"}, &fakeSecrets{err: errors.New("AccessDeniedException")}},
		"NoFrappeAfter": {map[string]string{awsrt.APIKeySecretEnv: "wagate/prod/api-keys", awsrt.FrappeSecretEnv: "nope"}, secrets()},
	} {
		t.Run("Err"+name, func(t *testing.T) {
			_, err := load(t, tc.kv, tc.sm)
			if err == nil {
				t.Fatal("LoadSecrets accepted it")
			}
			// The error names the secret, never a value.
			if strings.Contains(err.Error(), "k-one") || strings.Contains(err.Error(), frappe) {
				t.Fatalf("error %q leaks a secret value", err)
			}
			if tc.sm.err != nil && !errors.Is(err, tc.sm.err) {
				t.Fatalf("error %q does not wrap the SDK's", err)
			}
		})
	}
}
