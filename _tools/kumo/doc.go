// Package kumo pins the kumo AWS emulator (github.com/sivchari/kumo) used by
// the aws integration tests. Its go.sum carries kumo's own sums so a fresh
// machine builds it without checksum look-ups (see ../../docs/aws.md).
package kumo
