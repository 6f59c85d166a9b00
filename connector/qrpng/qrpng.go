// Package qrpng renders WhatsApp QR code strings as PNG data URLs, the form
// the API returns in qrCode.
package qrpng

import (
	"encoding/base64"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// Size is the side of the rendered image in pixels.
const Size = 256

// DataURL renders code as "data:image/png;base64,…".
func DataURL(code string) (string, error) {
	png, err := qrcode.Encode(code, qrcode.Medium, Size)
	if err != nil {
		return "", fmt.Errorf("render qr code: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}
