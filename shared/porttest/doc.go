// Package porttest holds one conformance suite per wagate port. Every adapter
// of a port (sqlite, fsblob, and the AWS ones) runs the same suite from its
// own tests:
//
//	func TestSessionStore(t *testing.T) {
//		porttest.SessionStore(t, func(t *testing.T) wagate.SessionStore { return newStore(t) })
//	}
//
// open is called once per subtest and must return an empty store that the
// subtest owns (clean it up with t.Cleanup). The suites check only what the
// port's comments promise, so adapters backed by remote services pass them
// too; timings are generous enough for SQS's one-second granularity.
package porttest
