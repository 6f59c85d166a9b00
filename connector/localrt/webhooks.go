package localrt

import (
	"log/slog"
	"net"
	"net/http"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/fetch"
	"github.com/wagate/wagate/shared/webhook"
)

// newDeliverer builds the in-process webhook deliverer: it drains the
// outbox into durable deliveries and sends them, signed, with retries. The
// address guard applies to every target; loopback and private targets are
// allowed only when the operator says so (a CRM on the same machine).
func newDeliverer(cfg Config, outbox wagate.Outbox, deliveries wagate.DeliveryStore, sessions wagate.SessionStore, blobs wagate.BlobStore, log *slog.Logger) (*webhook.Deliverer, error) {
	schedule, err := webhook.ParseSchedule(cfg.WebhookSchedule)
	if err != nil {
		return nil, err
	}
	client := webhook.NewClient(webhook.DefaultWorkers)
	tr := client.Transport.(*http.Transport)
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second,
		Control: fetch.Control(cfg.WebhookAllowLoopback, cfg.WebhookAllowPrivate)}
	tr.DialContext = dialer.DialContext
	tr.Proxy = nil // the guard must see the real target address
	return &webhook.Deliverer{
		Outbox: outbox, Store: deliveries, Sessions: sessions, Blobs: blobs,
		Frappe:   webhook.Frappe{URL: cfg.FrappeURL, Secret: cfg.FrappeSecret},
		Sender:   &webhook.Sender{Client: client, Guard: func(u string) error { return fetch.CheckURL(u, cfg.WebhookAllowLoopback, cfg.WebhookAllowPrivate) }},
		Schedule: schedule,
		Log:      log,
	}, nil
}
