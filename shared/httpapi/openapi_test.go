package httpapi

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	wagate "github.com/wagate/wagate/shared"
)

// routeAliases maps a registered pattern to the route it serves when the
// two differ (see handleMediaAction).
var routeAliases = map[string]string{
	"GET /api/media/{mediaFileId}/{action}": "GET /api/media/{mediaFileId}/download",
}

// openapiDoc is the part of openapi.json the tests read.
type openapiDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas   map[string]json.RawMessage `json:"schemas"`
		Responses map[string]json.RawMessage `json:"responses"`
	} `json:"components"`
}

type operation struct {
	ErrorCodes []string                   `json:"x-error-codes"`
	Security   *[]map[string][]string     `json:"security"`
	Responses  map[string]json.RawMessage `json:"responses"`
}

var httpMethods = []string{"get", "put", "post", "delete", "patch", "head", "options"}

func loadDoc(t *testing.T) openapiDoc {
	t.Helper()
	var doc openapiDoc
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	return doc
}

// documentedRoutes lists "METHOD /path" for every operation of doc.
func documentedRoutes(doc openapiDoc) []string {
	var out []string
	for path, item := range doc.Paths {
		for _, m := range httpMethods {
			if _, ok := item[m]; ok {
				out = append(out, strings.ToUpper(m)+" "+path)
			}
		}
	}
	sort.Strings(out)
	return out
}

// registeredPatterns reads every mux.Handle/HandleFunc pattern from the
// package's source: whatever the conditions around them, they are routes
// the server can serve.
func registeredPatterns(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "mux" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				t.Errorf("%s: route pattern is not a string literal", fset.Position(call.Pos()))
				return true
			}
			p, _ := strconv.Unquote(lit.Value)
			out = append(out, p)
			return true
		})
	}
	sort.Strings(out)
	return out
}

// TestOpenAPIRoutes: openapi.json documents exactly the routes the server
// registers, and the mux sends a request of each documented route to it.
func TestOpenAPIRoutes(t *testing.T) {
	doc := loadDoc(t)
	documented := documentedRoutes(doc)
	var registered []string
	for _, p := range registeredPatterns(t) {
		if !strings.Contains(p, " ") {
			t.Errorf("pattern %q has no method: give every route one", p)
			continue
		}
		if a, ok := routeAliases[p]; ok {
			p = a
		}
		registered = append(registered, p)
	}
	for _, r := range registered {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is registered but not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(registered, d) {
			t.Errorf("openapi.json documents %s, which is not registered", d)
		}
	}

	mux := http.NewServeMux()
	fullServer().routes(mux)
	inverse := map[string]string{}
	for k, v := range routeAliases {
		inverse[v] = k
	}
	wildcard := regexp.MustCompile(`\{[^}]+\}`)
	for _, d := range documented {
		method, path, _ := strings.Cut(d, " ")
		req := httptest.NewRequest(method, wildcard.ReplaceAllString(path, "x1"), nil)
		_, pattern := mux.Handler(req)
		want := d
		if a, ok := inverse[d]; ok {
			want = a
		}
		if pattern != want {
			t.Errorf("%s %s reaches pattern %q, want %q", method, req.URL.Path, pattern, want)
		}
	}
}

// fullServer is a Server with every optional dependency set, so that every
// conditional route is registered.
func fullServer() *Server {
	s := &Server{Sim: simStub{}}
	v := reflect.ValueOf(s).Elem()
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if sf.IsExported() && f.Kind() == reflect.Pointer && f.IsNil() && f.Type().Elem().Kind() == reflect.Struct {
			f.Set(reflect.New(f.Type().Elem()))
		}
	}
	return s
}

type simStub struct{ wagate.SimControl }

// TestOpenAPIOperations: every operation names its error codes, answers
// them with the error envelope, and is authenticated unless public.
func TestOpenAPIOperations(t *testing.T) {
	doc := loadDoc(t)
	// A code is known when the envelope maps it to its own status.
	known := func(c string) bool { return c == wagate.EINTERNAL || statusOf(c) != http.StatusInternalServerError }
	public := map[string]bool{"GET /health": true, "GET /ready": true, "GET /files/{token}": true,
		"GET /api/openapi.json": true, "GET /console/": true, "GET /console": true}
	for path, item := range doc.Paths {
		for _, m := range httpMethods {
			raw, ok := item[m]
			if !ok {
				continue
			}
			route := strings.ToUpper(m) + " " + path
			t.Run(route, func(t *testing.T) {
				var op operation
				if err := json.Unmarshal(raw, &op); err != nil {
					t.Fatal(err)
				}
				for _, c := range op.ErrorCodes {
					if !known(c) {
						t.Errorf("unknown error code %s", c)
					}
					status := strconv.Itoa(statusOf(c))
					if _, ok := op.Responses[status]; !ok {
						t.Errorf("error code %s (HTTP %s) has no response %s", c, status, status)
					}
				}
				for status, resp := range op.Responses {
					if status[0] >= '4' && !strings.Contains(string(resp), `"#/components/responses/`) {
						t.Errorf("response %s does not use a shared error response", status)
					}
				}
				if public[route] {
					if op.Security == nil || len(*op.Security) != 0 {
						t.Errorf("public route must have security: []")
					}
					return
				}
				if op.Security != nil {
					t.Errorf("authenticated route must use the default security")
				}
				for _, c := range []string{wagate.EMISSINGKEY, wagate.EAUTH, wagate.ERATELIMIT, wagate.EINTERNAL} {
					if !slices.Contains(op.ErrorCodes, c) {
						t.Errorf("authenticated route lacks error code %s", c)
					}
				}
			})
		}
	}
}

// TestOpenAPIClosedObjects: every object schema with properties says
// whether it takes others (additionalProperties), so the end-to-end
// validation fails on an undocumented field.
func TestOpenAPIClosedObjects(t *testing.T) {
	var doc any
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if props, ok := x["properties"].(map[string]any); ok && len(props) > 0 {
				if _, ok := x["additionalProperties"]; !ok && strings.Contains(path, "schema") {
					t.Errorf("%s: object schema without additionalProperties", path)
				}
			}
			for k, c := range x {
				walk(path+"/"+k, c)
			}
		case []any:
			for i, c := range x {
				walk(path+"/"+strconv.Itoa(i), c)
			}
		}
	}
	walk("", doc)
}
