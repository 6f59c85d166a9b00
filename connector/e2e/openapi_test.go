package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/wagate/wagate/shared/httpapi"
)

// Every request the suites make through the harness is recorded with its
// answer; after the last test, TestMain validates each answer against the
// OpenAPI description (shared/httpapi/openapi.json): a route it does not
// list, a status code or a field it does not document fails the run.

// exchange is one recorded request and its answer.
type exchange struct {
	test, method, target string
	status               int
	header               http.Header
	body                 []byte
}

var recorded struct {
	mu   sync.Mutex
	list []exchange
}

// record keeps a request and its answer for validateRecorded. Cheap: the
// body is already read; nothing is parsed until the end.
func record(test string, req *http.Request, resp *http.Response, body []byte) {
	recorded.mu.Lock()
	defer recorded.mu.Unlock()
	recorded.list = append(recorded.list, exchange{test: test, method: req.Method, target: req.URL.RequestURI(),
		status: resp.StatusCode, header: resp.Header.Clone(), body: body})
}

// validateRecorded checks every recorded answer against the description and
// returns the process exit code: 1 when it found problems, listed on stderr.
func validateRecorded() int {
	recorded.mu.Lock()
	list := recorded.list
	recorded.mu.Unlock()
	if len(list) == 0 {
		return 0
	}
	problems, err := checkAgainstOpenAPI(list)
	if err != nil {
		fmt.Fprintln(os.Stderr, "openapi.json:", err)
		return 1
	}
	if len(problems) == 0 {
		fmt.Fprintf(os.Stderr, "openapi: %d recorded answers match the description\n", len(list))
		return 0
	}
	fmt.Fprintf(os.Stderr, "openapi: %d problems in %d recorded answers:\n", len(problems), len(list))
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "  -", p)
	}
	return 1
}

// loadOpenAPI loads and validates the description and builds its router.
func loadOpenAPI() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(httpapi.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("invalid OpenAPI document: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	return router, nil
}

// TestOpenAPIDocument: the description is a valid OpenAPI 3.1 document.
func TestOpenAPIDocument(t *testing.T) {
	if _, err := loadOpenAPI(); err != nil {
		t.Fatal(err)
	}
}

// checkAgainstOpenAPI returns one line per distinct problem.
func checkAgainstOpenAPI(list []exchange) ([]string, error) {
	ctx := context.Background()
	router, err := loadOpenAPI()
	if err != nil {
		return nil, err
	}
	// File downloads (any type) are described as a string body.
	openapi3filter.RegisterBodyDecoder("*/*", openapi3filter.FileBodyDecoder)
	seen := map[string]bool{}
	var problems []string
	// One line per (route, status, problem), with an example request.
	add := func(x exchange, route, what string) {
		key := x.method + " " + route + " " + strconv.Itoa(x.status) + " " + what
		if !seen[key] {
			seen[key] = true
			problems = append(problems, fmt.Sprintf("%s %s → %d (%s): %s", x.method, x.target, x.status, x.test, what))
		}
	}
	for _, x := range list {
		req, err := http.NewRequest(x.method, "http://127.0.0.1"+x.target, nil)
		if err != nil {
			add(x, x.target, err.Error())
			continue
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			if !unrouted(x) {
				add(x, x.target, "undocumented route ("+err.Error()+")")
			}
			continue
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 x.status,
			Header:                 x.header,
			Body:                   io.NopCloser(bytes.NewReader(x.body)),
			Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
			add(x, route.Path, oneLine(err.Error()))
			continue
		}
		if code := errorCode(x); code != "" && !documentsCode(route, code) {
			add(x, route.Path, "error code "+code+" is not in the operation's x-error-codes")
		}
	}
	sort.Strings(problems)
	return problems, nil
}

// unrouted reports whether the server itself answered that it has no such
// route (404 "No route for …" or 405): the description rightly lacks it.
func unrouted(x exchange) bool {
	var b struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(x.body, &b)
	return (x.status == http.StatusNotFound && strings.HasPrefix(b.Message, "No route for ")) ||
		(x.status == http.StatusMethodNotAllowed && b.Code == "METHOD_NOT_ALLOWED")
}

// errorCode is the code of an error answer, "" for a success.
func errorCode(x exchange) string {
	if x.status < 400 || !strings.HasPrefix(x.header.Get("Content-Type"), "application/json") {
		return ""
	}
	var b struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(x.body, &b)
	return b.Code
}

// documentsCode reports whether the operation lists code in x-error-codes.
func documentsCode(route *routers.Route, code string) bool {
	raw, ok := route.Operation.Extensions["x-error-codes"]
	if !ok {
		return false
	}
	b, _ := json.Marshal(raw)
	var codes []string
	_ = json.Unmarshal(b, &codes)
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

// oneLine shortens a validation error to what is wrong: no repeated
// prefixes, no dump of the schema.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "validation failed due to: ", "")
	if i := strings.Index(s, " Schema: "); i > 0 {
		s = s[:i]
	}
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}
