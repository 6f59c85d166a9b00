// Package mediatype holds WhatsApp's rules about which file types each kind
// of media message may carry, and recognises a file's type from its bytes.
// It is shared by the HTTP decoder (when the client names a mimetype) and
// the send service (when the type is sniffed from the file).
package mediatype

import (
	"mime"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
)

// VoiceNote is the mimetype WhatsApp requires for voice notes (ptt).
const VoiceNote = "audio/ogg; codecs=opus"

// accepted lists, per message type, the base mimetypes WhatsApp accepts.
// Documents accept any type and are absent.
var accepted = map[wagate.MessageType][]string{
	wagate.TypeImage:   {"image/jpeg", "image/png"},
	wagate.TypeVideo:   {"video/mp4", "video/3gpp"},
	wagate.TypeAudio:   {"audio/aac", "audio/mp4", "audio/mpeg", "audio/amr", "audio/ogg"},
	wagate.TypeSticker: {"image/webp"},
}

// aliases maps non-standard names clients and tools use to the standard one.
var aliases = map[string]string{
	"image/jpg":    "image/jpeg",
	"image/pjpeg":  "image/jpeg",
	"image/x-png":  "image/png",
	"audio/mp3":    "audio/mpeg",
	"audio/mpeg3":  "audio/mpeg",
	"audio/x-mp3":  "audio/mpeg",
	"audio/x-mpeg": "audio/mpeg",
	"audio/m4a":    "audio/mp4",
	"audio/x-m4a":  "audio/mp4",
	"audio/aacp":   "audio/aac",
	"audio/x-aac":  "audio/aac",
	"audio/x-amr":  "audio/amr",
	"audio/opus":   "audio/ogg", // Ogg Opus files are often labelled so
	"video/3gp":    "video/3gpp",
	"video/x-m4v":  "video/mp4",
}

// Check reports whether a file of this mimetype may be sent as a message of
// type t. A voice note (audio with ptt) must be Ogg Opus. The mimetype may
// carry parameters ("audio/ogg; codecs=opus") and common aliases
// ("image/jpg", "audio/mp3"). Returns EINVALID.
func Check(t wagate.MessageType, mimetype string, ptt bool) error {
	if !t.HasMedia() {
		return wagate.Errorf(wagate.EINVALID, "%s messages carry no file.", t)
	}
	base, codecs, ok := parse(mimetype)
	if !ok {
		return wagate.Errorf(wagate.EINVALID, "mimetype %s is not a media type such as image/jpeg or application/pdf.", echo(mimetype))
	}
	if t == wagate.TypeAudio && ptt {
		if base != "audio/ogg" || (codecs != "" && codecs != "opus") {
			return wagate.Errorf(wagate.EINVALID, "A voice note (ptt: true) must be audio/ogg with the opus codec (%q); the file is %s. Send it with ptt false, or convert it to Ogg Opus.", VoiceNote, echo(mimetype))
		}
		return nil
	}
	list, restricted := accepted[t]
	if !restricted {
		return nil
	}
	for _, m := range list {
		if base == m {
			return nil
		}
	}
	alts := strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
	if len(list) == 1 {
		alts = list[0]
	}
	return wagate.Errorf(wagate.EINVALID, "%s messages must be %s; the file is %s. Send other files as a document.", t, alts, echo(mimetype))
}

// Canonical returns the standard form of a mimetype: lower-case, aliases
// resolved, parameters dropped except the opus codec of Ogg audio. It
// returns "" for a string that is not a mimetype.
func Canonical(mimetype string) string {
	base, codecs, ok := parse(mimetype)
	if !ok {
		return ""
	}
	if base == "audio/ogg" && codecs == "opus" {
		return VoiceNote
	}
	return base
}

// parse splits a mimetype into its canonical base type and its codecs
// parameter (lower-case).
func parse(mimetype string) (base, codecs string, ok bool) {
	if len(mimetype) > maxMimetype || strings.ContainsFunc(mimetype, unicode.IsControl) {
		return "", "", false
	}
	base, params, err := mime.ParseMediaType(mimetype)
	if err != nil {
		return "", "", false
	}
	typ, sub, found := strings.Cut(base, "/")
	if !found || typ == "" || sub == "" {
		return "", "", false
	}
	codecs = strings.ToLower(strings.TrimSpace(params["codecs"]))
	if base == "audio/opus" {
		codecs = "opus"
	}
	if a, ok := aliases[base]; ok {
		base = a
	}
	return base, codecs, true
}

// maxMimetype bounds the mimetypes accepted and echoed.
const maxMimetype = 255

// echo quotes a mimetype for an error message, cut to a sane length.
func echo(s string) string {
	const max = 64
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
