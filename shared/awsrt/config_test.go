package awsrt_test

import (
	"slices"
	"testing"
	"time"

	"github.com/wagate/wagate/shared/awsrt"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestLoadConfig(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) {
		c, err := awsrt.LoadConfig(env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if c.Stage != "dev" || c.EventBus != "wagate-dev" || c.Table != "wagate-dev" || c.MediaBucket != "wagate-dev-media" ||
			c.DeviceTable != "wagate-dev-devices" || c.Names.CommandQueue != "wagate-dev-commands.fifo" || c.SendWait != 2*time.Second || c.Engine != "whatsmeow" {
			t.Fatalf("defaults %+v", c)
		}
	})
	t.Run("Overrides", func(t *testing.T) {
		c, err := awsrt.LoadConfig(env(map[string]string{
			"WAGATE_STAGE": "prod", "WAGATE_API_KEY": "a, b", "WAGATE_MEDIA_BUCKET": "media-123",
			"WAGATE_SEND_WAIT": "0", "WAGATE_ENGINE": "sim", "WAGATE_RATE_LIMIT": "5", "WAGATE_DEVICE_TABLE": "devices-1",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if c.EventBus != "wagate-prod" || !slices.Equal(c.APIKeys, []string{"a", "b"}) || c.MediaBucket != "media-123" ||
			c.SendWait != -1 || c.Engine != "sim" || c.RateBurst != 10 || c.DeviceTable != "devices-1" {
			t.Fatalf("overrides %+v", c)
		}
	})
	for name, kv := range map[string]map[string]string{
		"ErrStage":    {"WAGATE_STAGE": "Prod_1"},
		"ErrEngine":   {"WAGATE_ENGINE": "baileys"},
		"ErrSendWait": {"WAGATE_SEND_WAIT": "soon"},
		"ErrRate":     {"WAGATE_RATE_LIMIT": "-1"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := awsrt.LoadConfig(env(kv)); err == nil {
				t.Fatalf("LoadConfig(%v) accepted it", kv)
			}
		})
	}
}
