package awsrt

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/wagate/wagate/shared/awsres"
)

// Environment variables that name Secrets Manager secrets (the CDK app
// sets them; their values never appear in the environment). Unset, the
// plain variables apply: WAGATE_API_KEY and FRAPPE_WEBHOOK_SECRET
// (emulator, tests, `make run-aws-local`).
const (
	APIKeySecretEnv = awsres.APIKeySecretEnv // WAGATE_API_KEY_SECRET_ID
	FrappeSecretEnv = awsres.FrappeSecretEnv // FRAPPE_WEBHOOK_SECRET_ID
)

// SecretGetter is the one Secrets Manager call the runtime makes
// (*secretsmanager.Client; a fake in tests).
type SecretGetter interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// HasSecrets reports whether c names a secret to read at start.
func (c Config) HasSecrets() bool { return c.APIKeySecretID != "" || c.Webhook.FrappeSecretID != "" }

// LoadSecrets reads the secrets c names, once, and puts their values
// where the plain variables would have: the API keys in c.APIKeys, the
// Frappe secret in c.Webhook.FrappeSecret. A secret id that is set wins
// over the plain variable. Errors name the secret, never its value, and
// the values are never logged.
func LoadSecrets(ctx context.Context, c *Config, sm SecretGetter) error {
	if c.APIKeySecretID != "" {
		v, err := secretString(ctx, sm, APIKeySecretEnv, c.APIKeySecretID)
		if err != nil {
			return err
		}
		if c.APIKeys = splitKeys(v); len(c.APIKeys) == 0 {
			return fmt.Errorf("%s: secret %s holds no API key", APIKeySecretEnv, c.APIKeySecretID)
		}
	}
	if c.Webhook.FrappeSecretID != "" {
		v, err := secretString(ctx, sm, FrappeSecretEnv, c.Webhook.FrappeSecretID)
		if err != nil {
			return err
		}
		if c.Webhook.FrappeSecret = strings.TrimSpace(v); c.Webhook.FrappeSecret == "" {
			return fmt.Errorf("%s: secret %s is empty", FrappeSecretEnv, c.Webhook.FrappeSecretID)
		}
	}
	return nil
}

// secretString returns the string value of the secret id (its current
// version).
func secretString(ctx context.Context, sm SecretGetter, env, id string) (string, error) {
	if sm == nil {
		return "", errors.New(env + ": no Secrets Manager client")
	}
	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
	if err != nil {
		return "", fmt.Errorf("%s: read secret %s: %w", env, id, err)
	}
	if out == nil || out.SecretString == nil {
		return "", fmt.Errorf("%s: secret %s has no string value", env, id)
	}
	return *out.SecretString, nil
}

// splitKeys reads a comma-separated list of API keys.
func splitKeys(v string) []string {
	var keys []string
	for k := range strings.SplitSeq(v, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}
