// Package webhook delivers bus events to the CRMs' webhook endpoints and
// loses none of them on the way.
//
// The Deliverer fans each event out of the durable outbox into one stored
// delivery per target (the session's own webhookUrl, the global Frappe URL),
// then attempts the deliveries on a bounded worker pool, retrying with
// backoff over more than a day before dead-lettering them (replayable).
// The pieces are small and separately tested: Sign (the signature the CRM
// verifies), Render (the body), Targets/Resolve (where an event goes),
// Schedule (when to retry) and Sender (one signed POST and its verdict).
package webhook
