package mediatype_test

import (
	"strings"
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/mediatype"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name     string
		t        wagate.MessageType
		mimetype string
		ptt      bool
		ok       bool
	}{
		{"ImageJPEG", wagate.TypeImage, "image/jpeg", false, true},
		{"ImageJPGAlias", wagate.TypeImage, "image/jpg", false, true},
		{"ImagePNGUpper", wagate.TypeImage, "IMAGE/PNG", false, true},
		{"ImageWebP", wagate.TypeImage, "image/webp", false, false},
		{"ImageGIF", wagate.TypeImage, "image/gif", false, false},
		{"VideoMP4", wagate.TypeVideo, "video/mp4", false, true},
		{"Video3GPP", wagate.TypeVideo, "video/3gpp", false, true},
		{"VideoMOV", wagate.TypeVideo, "video/quicktime", false, false},
		{"AudioMPEG", wagate.TypeAudio, "audio/mpeg", false, true},
		{"AudioMP3Alias", wagate.TypeAudio, "audio/mp3", false, true},
		{"AudioAAC", wagate.TypeAudio, "audio/aac", false, true},
		{"AudioMP4", wagate.TypeAudio, "audio/mp4", false, true},
		{"AudioAMR", wagate.TypeAudio, "audio/amr", false, true},
		{"AudioOgg", wagate.TypeAudio, "audio/ogg", false, true},
		{"AudioWAV", wagate.TypeAudio, "audio/wav", false, false},
		{"PTTOgg", wagate.TypeAudio, "audio/ogg", true, true},
		{"PTTOggOpus", wagate.TypeAudio, "audio/ogg; codecs=opus", true, true},
		{"PTTOggOpusNoSpace", wagate.TypeAudio, "audio/ogg;codecs=opus", true, true},
		{"PTTOpusAlias", wagate.TypeAudio, "audio/opus", true, true},
		{"PTTOggVorbis", wagate.TypeAudio, "audio/ogg; codecs=vorbis", true, false},
		{"PTTMPEG", wagate.TypeAudio, "audio/mpeg", true, false},
		{"StickerWebP", wagate.TypeSticker, "image/webp", false, true},
		{"StickerPNG", wagate.TypeSticker, "image/png", false, false},
		{"DocumentPDF", wagate.TypeDocument, "application/pdf", false, true},
		{"DocumentAnything", wagate.TypeDocument, "application/x-whatever", false, true},
		{"DocumentPTTIgnored", wagate.TypeDocument, "image/gif", true, true},
		{"NotAMimetype", wagate.TypeDocument, "pdf", false, false},
		{"Empty", wagate.TypeDocument, "", false, false},
		{"Garbage", wagate.TypeImage, "image/jpeg\n", false, false},
		{"Text", wagate.TypeText, "text/plain", false, false},
		{"Location", wagate.TypeLocation, "image/jpeg", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := mediatype.Check(tc.t, tc.mimetype, tc.ptt)
			if tc.ok && err != nil {
				t.Fatalf("Check(%s, %q, %v) = %v", tc.t, tc.mimetype, tc.ptt, err)
			}
			if !tc.ok && wagate.ErrorCode(err) != wagate.EINVALID {
				t.Fatalf("Check(%s, %q, %v) = %v; want VALIDATION_ERROR", tc.t, tc.mimetype, tc.ptt, err)
			}
		})
	}
}

func TestCheckMessages(t *testing.T) {
	err := mediatype.Check(wagate.TypeImage, "image/gif", false)
	if msg := wagate.ErrorMessage(err); !strings.Contains(msg, "image/jpeg or image/png") || !strings.Contains(msg, "document") {
		t.Errorf("image/gif: %q", msg)
	}
	err = mediatype.Check(wagate.TypeAudio, "audio/mpeg", true)
	if msg := wagate.ErrorMessage(err); !strings.Contains(msg, "audio/ogg; codecs=opus") || !strings.Contains(msg, "ptt false") {
		t.Errorf("ptt mpeg: %q", msg)
	}
	err = mediatype.Check(wagate.TypeImage, strings.Repeat("x", 1000), false)
	if msg := wagate.ErrorMessage(err); len(msg) > 200 {
		t.Errorf("long input echoed: %q", msg)
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"image/jpg":                 "image/jpeg",
		"Audio/MP3":                 "audio/mpeg",
		"audio/ogg; codecs=opus":    "audio/ogg; codecs=opus",
		"audio/ogg; codecs=vorbis":  "audio/ogg",
		"audio/opus":                "audio/ogg; codecs=opus",
		"text/plain; charset=utf-8": "text/plain",
		"nonsense":                  "",
	} {
		if got := mediatype.Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSniff(t *testing.T) {
	ftyp := func(brand string) []byte {
		return append([]byte("\x00\x00\x00\x18ftyp"+brand+"\x00\x00\x00\x00"), "isommp42"...)
	}
	for _, tc := range []struct {
		name     string
		data     []byte
		filename string
		want     string
	}{
		{"JPEG", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), "", "image/jpeg"},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "x.jpg", "image/png"},
		{"WebP", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), "", "image/webp"},
		{"PDF", []byte("%PDF-1.7\n"), "", "application/pdf"},
		{"OggOpus", append([]byte("OggS\x00\x02"), append(make([]byte, 22), "OpusHead"...)...), "", "audio/ogg; codecs=opus"},
		{"OggVorbis", append([]byte("OggS\x00\x02"), append(make([]byte, 22), "\x01vorbis"...)...), "", "audio/ogg"},
		{"AMR", []byte("#!AMR\n\x3c"), "", "audio/amr"},
		{"MP4", ftyp("isom"), "", "video/mp4"},
		{"M4AByBrand", ftyp("M4A "), "", "audio/mp4"},
		{"M4AByExtension", ftyp("isom"), "voice.m4a", "audio/mp4"},
		{"3GP", ftyp("3gp4"), "", "video/3gpp"},
		{"MP3ID3", []byte("ID3\x03\x00\x00\x00\x00\x00\x00"), "", "audio/mpeg"},
		{"MP3Frame", []byte("\xFF\xFB\x90\x64\x00"), "", "audio/mpeg"},
		{"ADTS", []byte("\xFF\xF1\x50\x80\x00"), "", "audio/aac"},
		{"DOCX", []byte("PK\x03\x04\x14\x00"), "Informe.DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"ZIP", []byte("PK\x03\x04\x14\x00"), "", "application/zip"},
		{"CSV", []byte("a,b\n1,2\n"), "data.csv", "text/csv"},
		{"Text", []byte("hola"), "", "text/plain; charset=utf-8"},
		{"UnknownBinaryByExtension", []byte{0, 1, 2, 3}, `C:\tmp\nota.opus`, "audio/ogg; codecs=opus"},
		{"UnknownBinary", []byte{0, 1, 2, 3}, "x.unknown", "application/octet-stream"},
		{"Empty", nil, "", "text/plain; charset=utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mediatype.Sniff(tc.data, tc.filename); got != tc.want {
				t.Fatalf("Sniff = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestExtension(t *testing.T) {
	for in, want := range map[string]string{
		"image/jpeg": ".jpg", "image/jpg": ".jpg", "image/png": ".png", "image/webp": ".webp",
		"video/mp4": ".mp4", "audio/ogg; codecs=opus": ".ogg", "audio/mpeg": ".mp3",
		"audio/mp4": ".m4a", "application/pdf": ".pdf", "text/plain; charset=utf-8": ".txt",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
		"application/x-unknown": ".bin", "": ".bin",
	} {
		if got := mediatype.Extension(in); got != want {
			t.Errorf("Extension(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("image", "image/jpeg", false)
	f.Add("audio", "audio/ogg; codecs=opus", true)
	f.Add("document", "application/pdf; name=\"x\"", false)
	f.Fuzz(func(t *testing.T, typ, mimetype string, ptt bool) {
		err := mediatype.Check(wagate.MessageType(typ), mimetype, ptt)
		if err != nil {
			if wagate.ErrorCode(err) != wagate.EINVALID {
				t.Fatalf("error code %s", wagate.ErrorCode(err))
			}
			return
		}
		c := mediatype.Canonical(mimetype)
		if c == "" || !strings.Contains(c, "/") || mediatype.Check(wagate.MessageType(typ), c, ptt) != nil {
			t.Fatalf("accepted %q but its canonical form %q is not", mimetype, c)
		}
	})
}

func FuzzSniff(f *testing.F) {
	f.Add([]byte("OggS\x00\x02"), "a.ogg")
	f.Add([]byte("\x00\x00\x00\x18ftypM4A "), "")
	f.Add([]byte("PK\x03\x04"), "a.docx")
	f.Fuzz(func(t *testing.T, b []byte, filename string) {
		m := mediatype.Sniff(b, filename)
		if mediatype.Canonical(m) == "" {
			t.Fatalf("Sniff = %q, not a mimetype", m)
		}
		if e := mediatype.Extension(m); !strings.HasPrefix(e, ".") {
			t.Fatalf("Extension(%q) = %q", m, e)
		}
	})
}
