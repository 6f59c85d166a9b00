package waengine

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // PNG decoding for image.Decode
)

// Image thumbnails, pure. WhatsApp shows a message's JPEGThumbnail (a small
// JPEG) until the full image is downloaded. Only JPEG and PNG are decoded:
// the standard library has no WebP decoder, so WebP images go without one.
const (
	// thumbnailMaxSide is the longer side of a thumbnail, in pixels.
	thumbnailMaxSide = 72
	// thumbnailQuality is the JPEG quality of thumbnails.
	thumbnailQuality = 60
	// thumbnailMaxPixels bounds the images decoded for a thumbnail: a
	// larger one (its decoded form would take hundreds of MB) gets none.
	thumbnailMaxPixels = 24_000_000
	// thumbnailSamples is how many source pixels per side are averaged
	// into one thumbnail pixel.
	thumbnailSamples = 4
)

// imageSize returns the dimensions of a JPEG or PNG image from its header.
func imageSize(data []byte) (width, height int, ok bool) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, false
	}
	return cfg.Width, cfg.Height, true
}

// jpegThumbnail returns a JPEG of data (a JPEG or PNG image) scaled to fit
// thumbnailMaxSide, transparency flattened onto white; nil when data is
// not such an image or is too large to decode.
func jpegThumbnail(data []byte) []byte {
	w, h, ok := imageSize(data)
	if !ok || w*h > thumbnailMaxPixels {
		return nil
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scaleDown(src, thumbnailMaxSide), &jpeg.Options{Quality: thumbnailQuality}); err != nil {
		return nil
	}
	return buf.Bytes()
}

// scaleDown returns src scaled so that its longer side is at most maxSide
// (never enlarged), each pixel the average of a grid of source samples,
// on a white background.
func scaleDown(src image.Image, maxSide int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := sw, sh
	if sw >= sh && sw > maxSide {
		dw, dh = maxSide, max(1, sh*maxSide/sw)
	} else if sh > sw && sh > maxSide {
		dw, dh = max(1, sw*maxSide/sh), maxSide
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		y0, y1 := b.Min.Y+y*sh/dh, b.Min.Y+max((y+1)*sh/dh, y*sh/dh+1)
		for x := range dw {
			x0, x1 := b.Min.X+x*sw/dw, b.Min.X+max((x+1)*sw/dw, x*sw/dw+1)
			dst.SetRGBA(x, y, averageOnWhite(src, x0, y0, x1, y1))
		}
	}
	return dst
}

// averageOnWhite averages up to thumbnailSamples² pixels spread over the
// rectangle [x0,x1)×[y0,y1) of src, each composited onto white.
func averageOnWhite(src image.Image, x0, y0, x1, y1 int) color.RGBA {
	nx, ny := min(x1-x0, thumbnailSamples), min(y1-y0, thumbnailSamples)
	var r, g, b, n uint64
	for j := range ny {
		y := y0 + (2*j+1)*(y1-y0)/(2*ny)
		for i := range nx {
			x := x0 + (2*i+1)*(x1-x0)/(2*nx)
			pr, pg, pb, pa := src.At(x, y).RGBA() // alpha-premultiplied, 16 bit
			r += uint64(pr + 0xffff - pa)
			g += uint64(pg + 0xffff - pa)
			b += uint64(pb + 0xffff - pa)
			n++
		}
	}
	return color.RGBA{R: uint8((r / n) >> 8), G: uint8((g / n) >> 8), B: uint8((b / n) >> 8), A: 0xff}
}
