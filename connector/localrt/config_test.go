package localrt_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/localrt"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigDefaults(t *testing.T) {
	dir := t.TempDir()
	c, err := localrt.LoadConfig(env(map[string]string{"WAGATE_DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 8084 || c.Engine != localrt.EngineWhatsmeow || c.SendRate != 1 || c.SendBurst != 5 || c.SendWait != 2*time.Second {
		t.Fatalf("defaults: %+v", c)
	}
	if !c.APIKeyCreated || !strings.HasPrefix(c.APIKey, "wag_") || c.APIKeyFile != filepath.Join(dir, "api-key") {
		t.Fatalf("generated key: %+v", c)
	}
	if st, err := os.Stat(c.APIKeyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	again, err := localrt.LoadConfig(env(map[string]string{"WAGATE_DATA_DIR": dir}))
	if err != nil || again.APIKey != c.APIKey || again.APIKeyCreated {
		t.Fatalf("the generated key must be kept: %+v %v", again, err)
	}
	fromEnv, _ := localrt.LoadConfig(env(map[string]string{"WAGATE_DATA_DIR": dir, "WAGATE_API_KEY": "given"}))
	if fromEnv.APIKey != "given" || fromEnv.APIKeyFile != "" {
		t.Fatalf("env key: %+v", fromEnv)
	}
}

func TestLoadConfigValues(t *testing.T) {
	c, err := localrt.LoadConfig(env(map[string]string{
		"WAGATE_DATA_DIR": t.TempDir(), "PORT": "9000", "WAGATE_ENGINE": "sim", "WAGATE_SEND_RATE": "0",
		"WAGATE_SEND_WAIT": "0", "WAGATE_LOG_LEVEL": "debug", "WAGATE_LOG_FORMAT": "json", "WAGATE_WEBHOOK_ALLOW_LOOPBACK": "true",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 9000 || c.Engine != "sim" || c.SendRate != 0 || c.SendWait >= 0 || !c.LogJSON || !c.WebhookAllowLoopback || c.PublicURL != "http://localhost:9000" {
		t.Fatalf("values: %+v", c)
	}
}

func TestLoadConfigRejects(t *testing.T) {
	for name, m := range map[string]map[string]string{
		"port":     {"PORT": "http"},
		"engine":   {"WAGATE_ENGINE": "baileys"},
		"rate":     {"WAGATE_SEND_RATE": "-1"},
		"wait":     {"WAGATE_SEND_WAIT": "soon"},
		"logLevel": {"WAGATE_LOG_LEVEL": "loud"},
	} {
		t.Run(name, func(t *testing.T) {
			m["WAGATE_DATA_DIR"] = t.TempDir()
			if _, err := localrt.LoadConfig(env(m)); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
