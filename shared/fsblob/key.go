package fsblob

import (
	"path/filepath"
	"strings"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
)

// maxKeyLen bounds a key, in bytes.
const maxKeyLen = 1024

// validKey accepts slash-separated relative keys like "media/s1/3EB0.jpg".
// Every segment must be non-empty and must not start with '.': that rules
// out "." and ".." (no traversal) and keeps dot names free for the store's
// own temporary and metadata files. Absolute keys, backslashes and control
// characters are refused too.
func validKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return wagate.Errorf(wagate.EINVALID, "Blob key must be 1 to %d bytes long", maxKeyLen)
	}
	if !utf8.ValidString(key) || strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return wagate.Errorf(wagate.EINVALID, "Blob key %q has characters that are not allowed", key)
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg[0] == '.' {
			return wagate.Errorf(wagate.EINVALID, "Blob key %q must be a relative path whose parts are not empty and do not start with '.'", key)
		}
	}
	if !filepath.IsLocal(filepath.FromSlash(key)) {
		return wagate.Errorf(wagate.EINVALID, "Blob key %q is not a local path", key)
	}
	return nil
}

// paths returns where the blob of a valid key lives and its metadata file
// beside it.
func (s *Store) paths(key string) (data, meta string) {
	data = filepath.Join(s.dir, filepath.FromSlash(key))
	dir, name := filepath.Split(data)
	return data, filepath.Join(dir, "."+name+metaSuffix)
}
