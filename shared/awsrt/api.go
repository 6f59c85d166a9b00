package awsrt

import (
	"net/http"

	"github.com/wagate/wagate/shared/httpapi"
	"github.com/wagate/wagate/shared/metrics"
	"github.com/wagate/wagate/shared/service"
	"github.com/wagate/wagate/shared/webhook"
)

// APIHandler returns the HTTP API over the aws adapters, its requests
// counted (the metrics leave as EMF lines, see FlushAfter).
func (rt *Runtime) APIHandler() http.Handler {
	return metrics.Middleware(rt.Metrics, rt.withSim(rt.APIServer().Handler()))
}

// APIServer returns the HTTP API (the same httpapi.Server as the local
// runtime) over the aws adapters. Media links are presigned S3 URLs, so
// there is no /files route; `path` media sources are off; GET /ready
// checks the table, queue, bus and bucket.
func (rt *Runtime) APIServer() *httpapi.Server {
	c, st := rt.Config, rt.Stores
	queue := &metrics.Queue{CommandQueue: rt.Queue, R: rt.Metrics}
	api := &httpapi.Server{
		Sessions: &service.Sessions{Store: st.Sessions, Queue: queue, Leases: st.Leases},
		Messages: &service.Messages{
			Sessions: st.Sessions, Store: st.Messages, Media: st.Media, Blobs: rt.Blobs, Queue: queue,
			SendWait: c.SendWait,
			Sources:  service.MediaSources{AllowLoopback: c.AllowPrivate, AllowPrivate: c.AllowPrivate},
		},
		APIKeys:   c.APIKeys,
		RateLimit: httpapi.RateLimit{PerSecond: c.RateLimit, Burst: c.RateBurst},
		Ready:     func(r *http.Request) error { return rt.Ready(r.Context()) },
		Log:       rt.Log,
		Files:     presignedFiles{rt.Blobs},
	}
	api.Statuses = &service.Statuses{Messages: api.Messages, Store: st.Statuses}
	api.MediaFiles = &service.MediaFiles{Sessions: st.Sessions, Store: st.Media, Blobs: rt.Blobs, MaxUploadBytes: c.MaxUploadBytes}
	api.Webhooks = &service.Webhooks{Sessions: st.Sessions, Store: st.Deliveries, Tester: rt.webhookTester()}
	// Contacts, groups and request/reply commands (docs/contacts-groups.md).
	api.Commands = &service.Commands{Results: st.Results, Queue: queue, Wait: c.CommandWait}
	api.Contacts = &service.Contacts{Sessions: st.Sessions, Store: st.Contacts, Groups: st.Groups, Commands: api.Commands}
	api.Groups = &service.Groups{Sessions: st.Sessions, Store: st.Groups, Commands: api.Commands}
	return api
}

// webhookTester sends the webhook test ping of the API (nothing stored).
func (rt *Runtime) webhookTester() *webhook.Deliverer {
	return &webhook.Deliverer{
		Store: rt.Stores.Deliveries, Sessions: rt.Stores.Sessions, Blobs: rt.Blobs,
		Frappe: webhook.Frappe{URL: rt.Config.Webhook.FrappeURL, Secret: rt.Config.Webhook.FrappeSecret},
		Sender: rt.webhookSender(), Log: rt.Log,
	}
}
