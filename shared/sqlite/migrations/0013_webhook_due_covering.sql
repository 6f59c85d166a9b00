-- Claims read only the due index: lease and session are in it, so a claim
-- behind a large backlog of saturated sessions never opens the rows (which
-- carry the event JSON).
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at, id, lease_until, session_id);
