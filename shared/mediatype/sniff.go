package mediatype

import (
	"bytes"
	"net/http"
	"path"
	"strings"
)

// Sniff returns the mimetype of a file from its first bytes
// (http.DetectContentType plus the audio and video containers WhatsApp uses
// that it does not know), falling back to the filename's extension when the
// bytes are generic (plain text, a zip such as .docx, unknown binary).
func Sniff(b []byte, filename string) string {
	if m := sniffMagic(b); m != "" {
		return m
	}
	m := http.DetectContentType(b)
	byExt := ByExtension(filename)
	switch base, _, _ := strings.Cut(m, ";"); base {
	case "application/octet-stream", "application/zip", "text/plain", "text/xml", "application/x-gzip":
		if byExt != "" {
			return byExt
		}
	case "video/mp4":
		if strings.HasPrefix(byExt, "audio/") { // .m4a shares the MP4 container
			return "audio/mp4"
		}
	}
	return m
}

// sniffMagic recognises the formats http.DetectContentType does not, or
// names too vaguely ("application/ogg").
func sniffMagic(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("OggS")):
		head := b[:min(len(b), 128)]
		switch {
		case bytes.Contains(head, []byte("OpusHead")):
			return VoiceNote
		case bytes.Contains(head, []byte("\x80theora")):
			return "video/ogg"
		}
		return "audio/ogg"
	case bytes.HasPrefix(b, []byte("#!AMR")):
		return "audio/amr"
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		switch brand := string(b[8:12]); {
		case strings.HasPrefix(brand, "3gp"), strings.HasPrefix(brand, "3g2"):
			return "video/3gpp"
		case brand == "M4A ", brand == "M4B ":
			return "audio/mp4"
		}
	case len(b) >= 2 && b[0] == 0xFF && b[1]&0xF6 == 0xF0:
		return "audio/aac" // ADTS frame: sync word, layer 00
	case len(b) >= 2 && b[0] == 0xFF && b[1]&0xE0 == 0xE0 && (b[1]>>1)&3 == 1:
		return "audio/mpeg" // MPEG audio layer III frame without an ID3 tag
	}
	return ""
}

// ByExtension returns the mimetype usual for the filename's extension, or ""
// when the extension is unknown.
func ByExtension(filename string) string {
	return byExt[strings.ToLower(path.Ext(strings.ReplaceAll(filename, `\`, "/")))]
}

// Extension returns the usual filename extension (with its dot) of a
// mimetype, and ".bin" for one it does not know.
func Extension(mimetype string) string {
	base, _, _ := parse(mimetype)
	if e, ok := extOf[base]; ok {
		return e
	}
	return ".bin"
}
