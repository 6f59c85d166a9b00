// Package schema validates documents against the JSON Schemas of the wire
// contracts. It is kept apart from package events so runtime binaries do not
// link the validator.
package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed schemas/*.json
var schemaFS embed.FS

// Schema names, as the files under schemas/ are called without the suffix.
const (
	Command       = "command"
	Event         = "event"
	SessionEvent  = "session-event"
	MessageEvent  = "message-event"
	MessageStatus = "message-status"
	Webhook       = "webhook"
)

var (
	compileOnce sync.Once
	compiled    map[string]*jsonschema.Schema
	compileErr  error
)

// Validate checks a JSON document against one of the contract schemas.
func Validate(schema string, doc []byte) error {
	compileOnce.Do(compileAll)
	if compileErr != nil {
		return compileErr
	}
	s, ok := compiled[schema]
	if !ok {
		return fmt.Errorf("no schema %q", schema)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("parse document: %w", err)
	}
	return s.Validate(v)
}

func compileAll() {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	names, _ := fs.Glob(schemaFS, "schemas/*.schema.json")
	for _, n := range names {
		b, _ := schemaFS.ReadFile(n)
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			compileErr = fmt.Errorf("schema %s: %w", n, err)
			return
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if err := c.AddResource(id, doc); err != nil {
			compileErr = err
			return
		}
	}
	compiled = map[string]*jsonschema.Schema{}
	for _, n := range []string{Command, Event, SessionEvent, MessageEvent, MessageStatus, Webhook} {
		s, err := c.Compile("https://wagate.dev/schemas/" + n + ".schema.json")
		if err != nil {
			compileErr = err
			return
		}
		compiled[n] = s
	}
}
