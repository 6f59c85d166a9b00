package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	wagate "github.com/wagate/wagate/shared"
)

// MaxBodyBytes caps JSON request bodies.
const MaxBodyBytes = 1 << 20

// decodeJSON reads a JSON object into v. An empty body is the same as {}
// (clients send Content-Type: application/json on bodiless POSTs).
func decodeJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return wagate.Errorf(wagate.ETOOLARGE, "Request body is larger than %d bytes.", MaxBodyBytes)
		}
		return wagate.Errorf(wagate.EINVALID, "Could not read the request body.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return jsonError(err)
	}
	return nil
}

// jsonError turns a decoding error into a message that says what to change.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return wagate.Errorf(wagate.EINVALID, "Field %q must be a JSON %s.", typeErr.Field, jsonKind(typeErr.Type.Kind().String()))
	case errors.As(err, &typeErr):
		return wagate.Errorf(wagate.EINVALID, "The request body must be a JSON object.")
	case errors.As(err, &syntaxErr):
		return wagate.Errorf(wagate.EINVALID, "The request body is not valid JSON (error at byte %d).", syntaxErr.Offset)
	}
	return wagate.Errorf(wagate.EINVALID, "The request body is not valid JSON.")
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice":
		return "array"
	case "struct", "map":
		return "object"
	}
	return "number"
}

// pageParams reads page and limit: page defaults to 1, limit to def and is
// clamped to max (never rejected, clients ask for more than the maximum).
func pageParams(r *http.Request, def, max int) (page, limit int, err error) {
	page, limit = 1, def
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 1 {
			return 0, 0, wagate.Errorf(wagate.EINVALID, "page must be a whole number from 1.")
		}
		page = n
	}
	if v := q.Get("limit"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 1 {
			return 0, 0, wagate.Errorf(wagate.EINVALID, "limit must be a whole number from 1 (at most %d are returned).", max)
		}
		limit = min(n, max)
	}
	if page > 1_000_000 {
		return 0, 0, wagate.Errorf(wagate.EINVALID, "page is too large.")
	}
	return page, limit, nil
}

type pagination struct {
	Total int `json:"total"`
	Page  int `json:"page"`
	Limit int `json:"limit"`
	Pages int `json:"pages"`
}

func newPagination(total, page, limit int) pagination {
	return pagination{Total: total, Page: page, Limit: limit, Pages: (total + limit - 1) / limit}
}
