package topology

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/wagate/wagate/shared/awsres"
)

// control calls the emulator's Lambda and API Gateway v2 control planes:
// REST+JSON requests signed with SigV4 (the emulator routes these APIs by
// the signing name), so no SDK module beyond the ones the runtime already
// uses is needed.
type control struct {
	endpoint string // e.g. http://127.0.0.1:4566
	cfg      aws.Config
	signer   *v4.Signer
	client   *http.Client
}

func newControl(cfg aws.Config) (*control, error) {
	if cfg.BaseEndpoint == nil || *cfg.BaseEndpoint == "" {
		return nil, fmt.Errorf("topology: the AWS config has no endpoint (BaseEndpoint): it runs against an emulator only")
	}
	return &control{
		endpoint: strings.TrimRight(*cfg.BaseEndpoint, "/"), cfg: cfg, signer: v4.NewSigner(),
		client: &http.Client{Timeout: 60 * time.Second},
	}, nil
}

// call sends in (JSON; nil = no body) to path and decodes the answer into
// out (nil = ignore it). A status of 300 or more is an error.
func (c *control) call(ctx context.Context, service, method, path string, in, out any) error {
	status, body, _, err := c.do(ctx, service, method, path, in, nil)
	if err != nil {
		return err
	}
	if status >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, status, bytes.TrimSpace(body))
	}
	if out != nil && len(body) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("%s %s: decode %s: %w", method, path, body, err)
		}
	}
	return nil
}

// do sends one signed request and returns its status, body and headers.
func (c *control) do(ctx context.Context, service, method, path string, in any, header http.Header) (int, []byte, http.Header, error) {
	var payload []byte
	switch v := in.(type) {
	case nil:
	case []byte:
		payload = v
	default:
		var err error
		if payload, err = json.Marshal(in); err != nil {
			return 0, nil, nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, c.endpoint+path, bytes.NewReader(payload))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		req.Header[k] = vs
	}
	creds, err := c.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("credentials: %w", err)
	}
	sum := sha256.Sum256(payload)
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, c.cfg.Region, time.Now()); err != nil {
		return 0, nil, nil, fmt.Errorf("sign %s %s: %w", method, path, err)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, resp.Header, err
}

// Function is a function to register: the emulator hosts none, it hands
// invocations to whatever polls its Runtime API under Name.
type Function struct {
	Name    string
	Timeout time.Duration
	Env     map[string]string // recorded as the function's environment, as the CDK app sets it
}

// createFunction registers fn (provided.al2023, arm64, a placeholder zip:
// the real bootstrap runs as a host process) and returns its ARN.
func (c *control) createFunction(ctx context.Context, fn Function) (string, error) {
	var out struct {
		FunctionArn string `json:"FunctionArn"`
	}
	in := map[string]any{
		"FunctionName": fn.Name, "Role": "arn:aws:iam::000000000000:role/" + fn.Name,
		"Runtime": awsres.FunctionRuntime, "Handler": awsres.FunctionHandler,
		"Architectures": []string{awsres.FunctionArchitecture}, "MemorySize": awsres.FunctionMemoryMB,
		"Timeout": awsres.Seconds(fn.Timeout), "Code": map[string]any{"ZipFile": placeholderZip()},
		"Environment": map[string]any{"Variables": fn.Env},
	}
	if err := c.call(ctx, "lambda", http.MethodPost, "/2015-03-31/functions", in, &out); err != nil {
		return "", fmt.Errorf("create function %s: %w", fn.Name, err)
	}
	return out.FunctionArn, nil
}

// deleteFunction removes the function name.
func (c *control) deleteFunction(ctx context.Context, name string) error {
	return c.call(ctx, "lambda", http.MethodDelete, "/2015-03-31/functions/"+name, nil, nil)
}

// Invoke invokes the function name synchronously with payload and returns
// the emulator's status, the X-Amz-Function-Error header and the body.
func (c *control) invoke(ctx context.Context, name string, payload []byte) (int, string, []byte, error) {
	h := http.Header{"X-Amz-Invocation-Type": {"RequestResponse"}}
	status, body, rh, err := c.do(ctx, "lambda", http.MethodPost, "/2015-03-31/functions/"+name+"/invocations", payload, h)
	return status, rh.Get("X-Amz-Function-Error"), body, err
}

// putSecret creates the Secrets Manager secret name with value, or gives
// an existing one that value (JSON 1.1 protocol, routed by X-Amz-Target).
func (c *control) putSecret(ctx context.Context, name, value string) error {
	call := func(action string, in map[string]string) (int, []byte, error) {
		h := http.Header{"X-Amz-Target": {"secretsmanager." + action}, "Content-Type": {"application/x-amz-json-1.1"}}
		status, body, _, err := c.do(ctx, "secretsmanager", http.MethodPost, "/", in, h)
		return status, body, err
	}
	status, body, err := call("CreateSecret", map[string]string{"Name": name, "SecretString": value})
	if err == nil && status >= 300 && bytes.Contains(body, []byte("ResourceExists")) {
		status, body, err = call("PutSecretValue", map[string]string{"SecretId": name, "SecretString": value})
	}
	if err == nil && status >= 300 {
		err = fmt.Errorf("%d %s", status, bytes.TrimSpace(body))
	}
	if err != nil {
		return fmt.Errorf("put secret %s: %w", name, err)
	}
	return nil
}

// createHTTPAPI creates an HTTP API whose every request goes to the
// function arn (AWS_PROXY, payload format 2.0): routes `ANY /{proxy+}` and
// `$default` on one integration, stage `$default` (auto-deployed). It
// returns the API id. The emulator ignores quick-create, so each piece is
// created explicitly, as the CDK app's HttpApi does.
func (c *control) createHTTPAPI(ctx context.Context, name, arn string) (string, error) {
	var api struct {
		APIID string `json:"apiId"`
	}
	if err := c.call(ctx, "apigateway", http.MethodPost, "/v2/apis", map[string]any{"name": name, "protocolType": "HTTP"}, &api); err != nil {
		return "", fmt.Errorf("create http api: %w", err)
	}
	base := "/v2/apis/" + api.APIID
	var integ struct {
		IntegrationID string `json:"integrationId"`
	}
	err := c.call(ctx, "apigateway", http.MethodPost, base+"/integrations", map[string]any{
		"integrationType": "AWS_PROXY", "integrationUri": arn, "integrationMethod": "POST",
		"payloadFormatVersion": "2.0", "timeoutInMillis": awsres.APIFunctionTimeout.Milliseconds(),
	}, &integ)
	if err != nil {
		return api.APIID, fmt.Errorf("create integration: %w", err)
	}
	for _, key := range []string{"ANY /{proxy+}", "$default"} {
		in := map[string]any{"routeKey": key, "target": "integrations/" + integ.IntegrationID}
		if err := c.call(ctx, "apigateway", http.MethodPost, base+"/routes", in, nil); err != nil {
			return api.APIID, fmt.Errorf("create route %s: %w", key, err)
		}
	}
	if err := c.call(ctx, "apigateway", http.MethodPost, base+"/stages", map[string]any{"stageName": "$default", "autoDeploy": true}, nil); err != nil {
		return api.APIID, fmt.Errorf("create stage: %w", err)
	}
	return api.APIID, nil
}

// deleteHTTPAPI removes the API id (its routes, integrations and stages).
func (c *control) deleteHTTPAPI(ctx context.Context, id string) error {
	return c.call(ctx, "apigateway", http.MethodDelete, "/v2/apis/"+id, nil, nil)
}

// placeholderZip is the deployment package the emulator stores: it runs
// nothing, the bootstrap is started on the host.
func placeholderZip() []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "bootstrap", Method: zip.Deflate})
	_, _ = io.WriteString(w, "#!/bin/sh\n# placeholder: the topology runs the real bootstrap as a host process\n")
	_ = zw.Close()
	return buf.Bytes()
}
