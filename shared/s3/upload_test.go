package s3

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/awstest"
)

// minPart is S3's smallest part but the last.
const minPart = 5 << 20

// TestMultipart puts bodies over one part through a reader of unknown
// length, and a failing reader that must leave the old object.
func TestMultipart(t *testing.T) {
	client := awsconf.NewS3(awstest.Config(t))
	ctx := awstest.Context(t)
	bucket := awstest.Unique("wagate-test")
	if _, err := client.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	s := New(client, bucket)
	s.partSize = minPart
	t.Cleanup(func() {
		for _, k := range []string{"big.bin", "exact.bin"} {
			_, _ = client.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		}
		_, _ = client.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: aws.String(bucket)})
	})

	for _, tc := range []struct {
		name string
		key  string
		size int
	}{
		{"ThreeParts", "big.bin", 2*minPart + 777},
		{"ExactlyTwoParts", "exact.bin", 2 * minPart},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := make([]byte, tc.size)
			_, _ = rand.Read(body)
			info, err := s.Put(ctx, tc.key, io.MultiReader(bytes.NewReader(body)), "video/mp4")
			if err != nil {
				t.Fatal(err)
			}
			if info.Size != int64(tc.size) {
				t.Fatalf("size %d, want %d", info.Size, tc.size)
			}
			rc, got, err := s.Open(ctx, tc.key)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, _ := io.ReadAll(rc)
			if !bytes.Equal(b, body) || got.ContentType != "video/mp4" {
				t.Fatalf("read %d bytes (%s), want the %d put", len(b), got.ContentType, len(body))
			}
			head, err := client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(tc.key)})
			if err != nil {
				t.Fatal(err)
			}
			if sse := string(head.ServerSideEncryption); sse != "" && sse != awsres.BucketEncryption {
				t.Errorf("server-side encryption %q, want %s", sse, awsres.BucketEncryption)
			}
		})
	}

	t.Run("FailedReaderKeepsOld", func(t *testing.T) {
		broken := io.MultiReader(bytes.NewReader(make([]byte, minPart+10)), failing{})
		if _, err := s.Put(ctx, "big.bin", broken, "video/mp4"); err == nil {
			t.Fatal("Put from a failing reader returned no error")
		}
		rc, info, err := s.Open(ctx, "big.bin")
		if err == nil {
			rc.Close()
		}
		if err != nil || info.Size != 2*minPart+777 {
			t.Fatalf("after a failed Put: %+v, %v; want the old object", info, err)
		}
	})
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("reader broke") }
