// Package service holds wagate's use cases. It depends only on the domain
// ports (package wagate) and the contracts (package events): the HTTP layer
// calls it, adapters are injected.
package service
