package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/wagate/wagate/shared/awsres"
)

// maxParts is S3's limit of parts in one upload.
const maxParts = 10000

// multipart uploads first and then the rest of r as a multipart upload,
// one part buffered at a time, and returns the total size. Any failure
// aborts the upload: the object at key stays as it was.
func (s *Store) multipart(ctx context.Context, key, contentType string, first []byte, r io.Reader) (size int64, err error) {
	created, err := s.api.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: aws.String(s.bucket), Key: aws.String(key), ContentType: aws.String(contentType),
		ServerSideEncryption: types.ServerSideEncryption(awsres.BucketEncryption),
	})
	if err != nil {
		return 0, fmt.Errorf("put blob %q: start upload: %w", key, err)
	}
	id := created.UploadId
	defer func() {
		if err != nil {
			actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
			defer cancel()
			if _, aerr := s.api.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{Bucket: aws.String(s.bucket), Key: aws.String(key), UploadId: id}); aerr != nil {
				err = errors.Join(err, fmt.Errorf("abort upload: %w", aerr))
			}
		}
	}()

	var (
		parts []types.CompletedPart
		next  []byte
		buf   = first
		last  bool
	)
	for n := int32(1); ; n++ {
		if n > maxParts {
			return 0, fmt.Errorf("put blob %q: more than %d parts of %d bytes", key, maxParts, s.partSize)
		}
		out, err := s.api.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: aws.String(s.bucket), Key: aws.String(key), UploadId: id, PartNumber: aws.Int32(n),
			Body: bytes.NewReader(buf), ContentLength: aws.Int64(int64(len(buf))),
		})
		if err != nil {
			return 0, fmt.Errorf("put blob %q: upload part %d: %w", key, n, err)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(n)})
		size += int64(len(buf))
		if last {
			break
		}
		if next == nil {
			next = make([]byte, s.partSize) // first is the caller's; one buffer from here on
		}
		m, rerr := io.ReadFull(r, next)
		if rerr != nil && !errors.Is(rerr, io.EOF) && !errors.Is(rerr, io.ErrUnexpectedEOF) {
			return 0, fmt.Errorf("put blob %q: read: %w", key, rerr)
		}
		if m == 0 {
			break
		}
		buf, last = next[:m], rerr != nil
	}
	_, err = s.api.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String(s.bucket), Key: aws.String(key), UploadId: id,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	if err != nil {
		return 0, fmt.Errorf("put blob %q: complete upload: %w", key, err)
	}
	return size, nil
}
