package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// outRoot holds the cloud assemblies of the test synths.
var outRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wagate-infra-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	outRoot = dir
	code := m.Run()
	jsii.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// synthed is one synthesised stack.
type synthed struct {
	cfg Config
	w   *Wagate
	tpl assertions.Template
	raw map[string]any // the template as JSON
}

// fakeBundler stands in for `go build` (bundle_test.go builds for real).
func fakeBundler(pkg, outDir string) error {
	return os.WriteFile(filepath.Join(outDir, "bootstrap"), []byte("fake "+pkg), 0o755)
}

// synth synthesises stage's stack with the committed cdk.context.json (as
// the CLI would pass it) and the fake bundler; mutate adjusts the config.
func synth(t testing.TB, stage string, mutate func(*Config)) *synthed {
	t.Helper()
	c, err := NewConfig(stage, "", "")
	if err != nil {
		t.Fatal(err)
	}
	c.Bundler = fakeBundler
	if mutate != nil {
		mutate(&c)
	}
	ctx := map[string]any{}
	b, err := os.ReadFile(filepath.Join(c.RepoRoot, "cdk.context.json"))
	if err != nil {
		t.Fatalf("read cdk.context.json: %v", err)
	}
	if err := json.Unmarshal(b, &ctx); err != nil {
		t.Fatalf("cdk.context.json: %v", err)
	}
	out, err := os.MkdirTemp(outRoot, stage+"-")
	if err != nil {
		t.Fatal(err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(out), Context: &ctx})
	w := NewStack(app, c)
	tpl := assertions.Template_FromStack(w.Stack, nil)
	return &synthed{cfg: c, w: w, tpl: tpl, raw: *tpl.ToJSON()}
}

var (
	devOnce, prodOnce sync.Once
	devStack          *synthed
	prodStack         *synthed
)

// testFrappeURL and testAlarmEmail configure the production synth.
const (
	testFrappeURL  = "https://crm.example.com/api/method/whatsapp.webhook"
	testAlarmEmail = "ops@example.com"
)

// dev is the default stage's stack, synthesised once per test binary.
func dev(t testing.TB) *synthed {
	t.Helper()
	devOnce.Do(func() { devStack = synth(t, "dev", nil) })
	if devStack == nil {
		t.Fatal("dev synth failed")
	}
	return devStack
}

// prod is the production stage with the Frappe target and an alarm
// e-mail configured.
func prod(t testing.TB) *synthed {
	t.Helper()
	prodOnce.Do(func() {
		prodStack = synth(t, ProductionStage, func(c *Config) {
			c.FrappeWebhookURL, c.AlarmEmail = testFrappeURL, testAlarmEmail
		})
	})
	if prodStack == nil {
		t.Fatal("prod synth failed")
	}
	return prodStack
}

// has asserts (with the assertions library) that a resource of typ has
// props (deep object-like match); a mismatch is a test error, not a panic.
func has(t *testing.T, s *synthed, typ string, props map[string]any) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", typ, r)
		}
	}()
	s.tpl.HasResourceProperties(jsii.String(typ), props)
}

// count asserts the number of resources of typ.
func count(t *testing.T, s *synthed, typ string, n int) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", typ, r)
		}
	}()
	s.tpl.ResourceCountIs(jsii.String(typ), jsii.Number(n))
}

// resource is one template resource.
type resource struct {
	ID    string
	Type  string
	Props map[string]any
	Raw   map[string]any // with DeletionPolicy etc.
}

// resources returns the resources of typ, by logical id order.
func (s *synthed) resources(typ string) []resource {
	var out []resource
	for id, r := range s.raw["Resources"].(map[string]any) {
		m := r.(map[string]any)
		if m["Type"] != typ {
			continue
		}
		props, _ := m["Properties"].(map[string]any)
		out = append(out, resource{ID: id, Type: typ, Props: props, Raw: m})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// one returns the only resource of typ whose props[key] == value.
func (s *synthed) one(t testing.TB, typ, key string, value any) resource {
	t.Helper()
	var found []resource
	for _, r := range s.resources(typ) {
		if r.Props[key] == value {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d resources of %s with %s=%v, want 1", len(found), typ, key, value)
	}
	return found[0]
}

// refs returns the logical ids v refers to (Ref, Fn::GetAtt) and the
// literal strings in it (Fn::Join parts, plain strings).
func refs(v any) (ids, literals []string) {
	switch x := v.(type) {
	case string:
		literals = append(literals, x)
	case []any:
		for _, e := range x {
			i, l := refs(e)
			ids, literals = append(ids, i...), append(literals, l...)
		}
	case map[string]any:
		if r, ok := x["Ref"].(string); ok && len(x) == 1 {
			if !strings.HasPrefix(r, "AWS::") {
				ids = append(ids, r)
			}
			return
		}
		if g, ok := x["Fn::GetAtt"].([]any); ok && len(x) == 1 {
			ids = append(ids, g[0].(string))
			return
		}
		for _, e := range x {
			i, l := refs(e)
			ids, literals = append(ids, i...), append(literals, l...)
		}
	}
	return ids, literals
}

// refersTo reports whether v refers to the resource with logical id.
func refersTo(v any, id string) bool {
	ids, _ := refs(v)
	for _, i := range ids {
		if i == id {
			return true
		}
	}
	return false
}

// env returns a function's environment variables.
func env(r resource) map[string]any {
	e, _ := r.Props["Environment"].(map[string]any)
	v, _ := e["Variables"].(map[string]any)
	return v
}

// list returns v as a list (a single value as a list of one).
func list(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}
