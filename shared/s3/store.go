// Package s3 is the aws adapter of wagate.BlobStore: media bytes are
// objects in one S3 bucket, encrypted at rest with SSE-S3 (AES256), and
// handed out through presigned GET URLs that carry the download name.
//
// Put takes readers of unknown length: a body up to one part is sent with
// a single PutObject, a larger one as a multipart upload of PartSize parts
// (aborted when the reader fails, so a failed Put leaves the previous
// object in place). Only one part is buffered at a time.
package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/awsres"
)

const (
	// PartSize is the size of a multipart upload part (S3 minimum: 5 MiB)
	// and the largest body sent with one PutObject.
	PartSize = 8 << 20
	// DefaultContentType is stored when Put is given none.
	DefaultContentType = "application/octet-stream"
	// abortTimeout bounds the abort of a failed multipart upload.
	abortTimeout = 10 * time.Second
)

// API is the part of the S3 client the Store uses.
type API interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
	HeadBucket(ctx context.Context, in *s3.HeadBucketInput, optFns ...func(*s3.Options)) (*s3.HeadBucketOutput, error)
	CreateMultipartUpload(ctx context.Context, in *s3.CreateMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.CreateMultipartUploadOutput, error)
	UploadPart(ctx context.Context, in *s3.UploadPartInput, optFns ...func(*s3.Options)) (*s3.UploadPartOutput, error)
	CompleteMultipartUpload(ctx context.Context, in *s3.CompleteMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.CompleteMultipartUploadOutput, error)
	AbortMultipartUpload(ctx context.Context, in *s3.AbortMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.AbortMultipartUploadOutput, error)
}

// Presigner makes presigned GET requests.
type Presigner interface {
	PresignGetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.PresignOptions)) (*v4.PresignedHTTPRequest, error)
}

var (
	_ wagate.BlobStore = (*Store)(nil)
	_ API              = (*s3.Client)(nil)
	_ Presigner        = (*s3.PresignClient)(nil)
)

// Store is a wagate.BlobStore on one bucket.
type Store struct {
	api      API
	presign  Presigner
	bucket   string
	partSize int
}

// New returns the Store of bucket, presigning with the same client.
func New(client *s3.Client, bucket string) *Store {
	return NewWith(client, s3.NewPresignClient(client), bucket)
}

// NewWith returns a Store on any API and Presigner (tests).
func NewWith(api API, presign Presigner, bucket string) *Store {
	return &Store{api: api, presign: presign, bucket: bucket, partSize: PartSize}
}

// Bucket returns the store's bucket.
func (s *Store) Bucket() string { return s.bucket }

// Put stores the bytes of r under key with contentType, encrypted with
// SSE-S3, replacing any object there.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, contentType string) (wagate.BlobInfo, error) {
	if key == "" {
		return wagate.BlobInfo{}, wagate.Errorf(wagate.EINVALID, "Blob key must not be empty.")
	}
	if contentType == "" {
		contentType = DefaultContentType
	}
	first, err := io.ReadAll(io.LimitReader(r, int64(s.partSize)))
	if err != nil {
		return wagate.BlobInfo{}, fmt.Errorf("put blob %q: read: %w", key, err)
	}
	info := wagate.BlobInfo{Key: key, Size: int64(len(first)), ContentType: contentType}
	if len(first) < s.partSize {
		_, err = s.api.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(s.bucket), Key: aws.String(key), Body: bytes.NewReader(first),
			ContentLength: aws.Int64(int64(len(first))), ContentType: aws.String(contentType),
			ServerSideEncryption: types.ServerSideEncryption(awsres.BucketEncryption),
		})
		if err != nil {
			return wagate.BlobInfo{}, fmt.Errorf("put blob %q: %w", key, err)
		}
		return info, nil
	}
	if info.Size, err = s.multipart(ctx, key, contentType, first, r); err != nil {
		return wagate.BlobInfo{}, err
	}
	return info, nil
}

// Open returns a reader of the object at key. Returns ENOTFOUND if missing.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, wagate.BlobInfo, error) {
	out, err := s.api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		if notFound(err) {
			return nil, wagate.BlobInfo{}, wagate.Errorf(wagate.ENOTFOUND, "Blob %s not found.", key)
		}
		return nil, wagate.BlobInfo{}, fmt.Errorf("open blob %q: %w", key, err)
	}
	info := wagate.BlobInfo{Key: key, Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType)}
	return out.Body, info, nil
}

// Delete removes the object at key; a missing one is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	_, err := s.api.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil && !notFound(err) {
		return fmt.Errorf("delete blob %q: %w", key, err)
	}
	return nil
}

// PresignGet returns a URL that downloads the object at key, as filename
// (the base of key when empty), until ttl passes (awsres.PresignTTL when
// not positive; at most awsres.MaxPresignTTL, SigV4's limit).
func (s *Store) PresignGet(ctx context.Context, key, filename string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		ttl = awsres.PresignTTL
	}
	ttl = min(ttl, awsres.MaxPresignTTL)
	if filename == "" {
		filename = path.Base(key)
	}
	in := &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}
	if cd := mime.FormatMediaType("attachment", map[string]string{"filename": filename}); cd != "" {
		in.ResponseContentDisposition = aws.String(cd)
	}
	req, err := s.presign.PresignGetObject(ctx, in, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("presign blob %q: %w", key, err)
	}
	return req.URL, nil
}

// Ping checks that the bucket exists and is reachable (readiness probes).
func (s *Store) Ping(ctx context.Context) error {
	if _, err := s.api.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.bucket)}); err != nil {
		return fmt.Errorf("head bucket %s: %w", s.bucket, err)
	}
	return nil
}

// notFound reports whether err says the object (or bucket) is missing.
func notFound(err error) bool {
	var (
		nsk *types.NoSuchKey
		nf  *types.NotFound
		ae  smithy.APIError
		re  interface{ HTTPStatusCode() int }
	)
	switch {
	case errors.As(err, &nsk), errors.As(err, &nf):
		return true
	case errors.As(err, &ae) && (ae.ErrorCode() == "NoSuchKey" || ae.ErrorCode() == "NotFound"):
		return true
	case errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound:
		return ae == nil || ae.ErrorCode() != "NoSuchBucket"
	}
	return false
}
