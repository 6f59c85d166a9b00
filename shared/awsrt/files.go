package awsrt

import (
	wagate "github.com/wagate/wagate/shared"
)

// presignedFiles lets the API hand out media links in the aws runtime: they
// are presigned S3 URLs, so the local runtime's /files/{token} route has
// nothing to verify here and answers 404.
type presignedFiles struct{ wagate.BlobStore }

func (presignedFiles) Verify(string) (string, string, error) {
	return "", "", wagate.Errorf(wagate.ENOTFOUND, "No such file.")
}
