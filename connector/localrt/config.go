package localrt

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wagate/wagate/shared/service"
)

// Config is the local runtime's configuration, read from the environment.
type Config struct {
	Port                 int    // PORT, default 8084
	DataDir              string // WAGATE_DATA_DIR, default ./data
	APIKey               string // WAGATE_API_KEY; generated into the data dir when unset
	APIKeyFile           string // where the key was read from or generated into; empty when from the environment
	APIKeyCreated        bool   // the key was generated on this start
	Engine               string // WAGATE_ENGINE: whatsmeow (default) or sim
	FrappeURL            string // FRAPPE_WEBHOOK_URL
	FrappeSecret         string // FRAPPE_WEBHOOK_SECRET
	LogLevel             slog.Level
	LogJSON              bool          // WAGATE_LOG_FORMAT=json
	PublicURL            string        // WAGATE_PUBLIC_URL: base of links handed out (media downloads)
	MediaDir             string        // WAGATE_MEDIA_DIR: directory `path` media sources may read; "" = off
	SendRate             float64       // WAGATE_SEND_RATE: messages per second per session (0 = unlimited)
	SendBurst            int           // WAGATE_SEND_BURST
	AllowPrivateURLs     bool          // WAGATE_ALLOW_PRIVATE_URLS: media URLs may point at private/loopback hosts
	RateLimit            float64       // WAGATE_RATE_LIMIT: API requests per second per key (0 = off)
	RateBurst            int           // WAGATE_RATE_BURST
	SendWait             time.Duration // WAGATE_SEND_WAIT: how long a send waits to report "sent" (0 = answer at once)
	MaxUploadBytes       int64         // WAGATE_MAX_UPLOAD_BYTES: largest file the media upload takes (default 64 MiB)
	WebhookSchedule      string        // WAGATE_WEBHOOK_SCHEDULE: retry delays, e.g. "10s,1m,5m" (default ≈ 30 h)
	WebhookAllowLoopback bool          // WAGATE_WEBHOOK_ALLOW_LOOPBACK: webhooks may target 127.0.0.1/localhost
	WebhookAllowPrivate  bool          // WAGATE_WEBHOOK_ALLOW_PRIVATE: webhooks may target private networks
	CommandWait          time.Duration // WAGATE_COMMAND_WAIT: how long contact/group requests wait for WhatsApp before answering 202 (0 = at once)
}

// Engine names.
const (
	EngineWhatsmeow = "whatsmeow"
	EngineSim       = "sim"
)

// apiKeyFile is where a generated API key is kept, inside the data dir.
const apiKeyFile = "api-key"

// LoadConfig reads the configuration from getenv and prepares the data dir.
func LoadConfig(getenv func(string) string) (Config, error) {
	c := Config{Port: 8084, DataDir: "./data", Engine: EngineWhatsmeow, SendRate: 1, SendBurst: 5}
	if v := getenv("PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 65535 {
			return c, fmt.Errorf("PORT must be a port number, got %q", v)
		}
		c.Port = p
	}
	if v := getenv("WAGATE_DATA_DIR"); v != "" {
		c.DataDir = v
	}
	if v := getenv("WAGATE_ENGINE"); v != "" {
		if v != EngineWhatsmeow && v != EngineSim {
			return c, fmt.Errorf("WAGATE_ENGINE must be %q or %q, got %q", EngineWhatsmeow, EngineSim, v)
		}
		c.Engine = v
	}
	c.FrappeURL, c.FrappeSecret = getenv("FRAPPE_WEBHOOK_URL"), getenv("FRAPPE_WEBHOOK_SECRET")
	c.PublicURL = strings.TrimRight(defaultStr(getenv("WAGATE_PUBLIC_URL"), fmt.Sprintf("http://localhost:%d", c.Port)), "/")
	c.MediaDir = getenv("WAGATE_MEDIA_DIR")
	c.AllowPrivateURLs = getenv("WAGATE_ALLOW_PRIVATE_URLS") == "true"
	c.WebhookSchedule = getenv("WAGATE_WEBHOOK_SCHEDULE")
	c.WebhookAllowLoopback = getenv("WAGATE_WEBHOOK_ALLOW_LOOPBACK") == "true"
	c.WebhookAllowPrivate = getenv("WAGATE_WEBHOOK_ALLOW_PRIVATE") == "true"
	var err error
	if c.SendRate, err = floatEnv(getenv, "WAGATE_SEND_RATE", c.SendRate); err != nil {
		return c, err
	}
	if c.SendBurst, err = intEnv(getenv, "WAGATE_SEND_BURST", c.SendBurst); err != nil {
		return c, err
	}
	c.SendWait = 2 * time.Second
	if v := getenv("WAGATE_SEND_WAIT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return c, fmt.Errorf("WAGATE_SEND_WAIT must be a duration like 2s or 0, got %q", v)
		}
		c.SendWait = d
		if d == 0 {
			c.SendWait = -1 // answer at once
		}
	}
	if c.CommandWait, err = commandWait(getenv("WAGATE_COMMAND_WAIT")); err != nil {
		return c, err
	}
	var maxUpload int
	if maxUpload, err = intEnv(getenv, "WAGATE_MAX_UPLOAD_BYTES", service.DefaultMaxUploadBytes); err != nil {
		return c, err
	} else if maxUpload == 0 {
		return c, fmt.Errorf("WAGATE_MAX_UPLOAD_BYTES must be at least 1")
	}
	c.MaxUploadBytes = int64(maxUpload)
	if c.RateLimit, err = floatEnv(getenv, "WAGATE_RATE_LIMIT", 0); err != nil {
		return c, err
	}
	if c.RateBurst, err = intEnv(getenv, "WAGATE_RATE_BURST", max(1, int(2*c.RateLimit))); err != nil {
		return c, err
	}
	if err := c.LogLevel.UnmarshalText([]byte(defaultStr(getenv("WAGATE_LOG_LEVEL"), "info"))); err != nil {
		return c, fmt.Errorf("WAGATE_LOG_LEVEL: %w", err)
	}
	c.LogJSON = strings.EqualFold(getenv("WAGATE_LOG_FORMAT"), "json")
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return c, fmt.Errorf("create data dir: %w", err)
	}
	c.APIKey = strings.TrimSpace(getenv("WAGATE_API_KEY"))
	if c.APIKey == "" {
		key, created, err := loadOrCreateKey(filepath.Join(c.DataDir, apiKeyFile))
		if err != nil {
			return c, err
		}
		c.APIKey, c.APIKeyCreated, c.APIKeyFile = key, created, filepath.Join(c.DataDir, apiKeyFile)
	}
	return c, nil
}

// loadOrCreateKey reads the generated API key, creating it on first start.
func loadOrCreateKey(path string) (string, bool, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return strings.TrimSpace(string(b)), false, nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", false, fmt.Errorf("read api key: %w", err)
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", false, err
	}
	key := "wag_" + hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return "", false, fmt.Errorf("write api key: %w", err)
	}
	return key, true, nil
}

func defaultStr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func floatEnv(getenv func(string) string, name string, def float64) (float64, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("%s must be a number ≥ 0, got %q", name, v)
	}
	return f, nil
}

func intEnv(getenv func(string) string, name string, def int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a whole number ≥ 0, got %q", name, v)
	}
	return n, nil
}

// commandWait parses WAGATE_COMMAND_WAIT: "" = the service default, 0 =
// answer 202 at once.
func commandWait(v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("WAGATE_COMMAND_WAIT must be a duration like 8s or 0, got %q", v)
	}
	if d == 0 {
		return -1, nil
	}
	return d, nil
}
