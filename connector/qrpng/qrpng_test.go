package qrpng_test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"strings"
	"testing"

	"github.com/wagate/wagate/connector/qrpng"
)

func TestDataURL(t *testing.T) {
	url, err := qrpng.DataURL("2@abc,def,ghi,jkl")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(url, prefix) {
		t.Fatalf("not a PNG data URL: %.40s", url)
	}
	raw, err := base64.StdEncoding.DecodeString(url[len(prefix):])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != qrpng.Size || b.Dy() != qrpng.Size {
		t.Fatalf("size %v", b)
	}
}
