// Package events holds the wire contracts of wagate: everything that crosses a
// process boundary (queue commands, bus events, webhook bodies) as Go types,
// with a JSON Schema and sample payloads for each under schemas/ and
// testdata/. Producers and consumers test against the same samples.
package events
