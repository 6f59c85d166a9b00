package e2e_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// rawReply is an answer of any content type.
type rawReply struct {
	Status int
	Header http.Header
	Body   []byte
}

// json decodes a JSON answer's body.
func (r rawReply) json(t *testing.T) reply {
	t.Helper()
	out := reply{Status: r.Status, Raw: r.Body}
	if err := json.Unmarshal(r.Body, &out.Body); err != nil {
		t.Fatalf("answer is not JSON (%d): %s", r.Status, r.Body)
	}
	return out
}

// raw sends a request with any body and content type (key "" sends none)
// and records it like do.
func (p *proc) raw(method, path, key, contentType string, body []byte) rawReply {
	p.t.Helper()
	req, _ := http.NewRequest(method, p.url(path), bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if key != "" {
		req.Header.Set("X-API-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	record(p.t.Name(), req, resp, data)
	return rawReply{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// upload posts one file in the multipart field (usually "file").
func (p *proc) upload(session, field, filename string, data []byte) reply {
	p.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("note", "ignored")
	fw, _ := mw.CreateFormFile(field, filename)
	_, _ = fw.Write(data)
	_ = mw.Close()
	return p.raw("POST", "/api/media/sessions/"+session+"/upload", apiKey, mw.FormDataContentType(), b.Bytes()).json(p.t)
}

// localURL points a link of ours (built on WAGATE_PUBLIC_URL, localhost)
// at the test's loopback address.
func localURL(u string) string {
	return strings.Replace(u, "http://localhost:", "http://127.0.0.1:", 1)
}

func TestMediaFiles(t *testing.T) {
	p := startWagate(t, "WAGATE_SEND_RATE=0", "WAGATE_MAX_UPLOAD_BYTES=4096")
	p.connected("s1", "34600000001")
	img := pngBytes(t)
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

	up := p.upload("s1", "file", `..\fotos/../foto.png`, img)
	expectStatus(t, up, 201)
	m := up.data()["media"].(map[string]any)
	id, _ := m["id"].(string)
	if id == "" || m["sessionId"] != "s1" || m["filename"] != "foto.png" || m["mimetype"] != "image/png" ||
		m["size"] != float64(len(img)) || m["origin"] != "upload" || m["createdAt"] == nil || m["downloadUrl"] != "/api/media/"+id+"/download" {
		t.Fatalf("upload answer: %s", up.Raw)
	}

	t.Run("LinkWithoutKey", func(t *testing.T) {
		r := p.raw("GET", strings.TrimPrefix(localURL(m["url"].(string)), p.url("")), "", "", nil)
		if r.Status != 200 || !bytes.Equal(r.Body, img) || r.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("link download: %d %q", r.Status, r.Header.Get("Content-Type"))
		}
	})
	t.Run("Info", func(t *testing.T) {
		r := p.api("GET", "/api/media/"+id, nil)
		expectStatus(t, r, 200)
		if got := r.data()["media"].(map[string]any); got["id"] != id || got["filename"] != "foto.png" {
			t.Fatalf("info: %s", r.Raw)
		}
	})
	t.Run("Download", func(t *testing.T) {
		r := p.raw("GET", "/api/media/"+id+"/download", apiKey, "", nil)
		if r.Status != 200 || !bytes.Equal(r.Body, img) || r.Header.Get("Content-Type") != "image/png" ||
			!strings.Contains(r.Header.Get("Content-Disposition"), `filename=foto.png`) {
			t.Fatalf("download: %d %v", r.Status, r.Header)
		}
		expectError(t, p.raw("GET", "/api/media/"+id+"/download", "", "", nil).json(t), 401, "MISSING_API_KEY")
		expectError(t, p.api("GET", "/api/media/"+id+"/other", nil), 404, "NOT_FOUND")
	})
	t.Run("List", func(t *testing.T) {
		r := p.api("GET", "/api/media/sessions/s1?page=1&limit=200", nil)
		expectStatus(t, r, 200)
		list := r.data()["media"].([]any)
		pg := r.data()["pagination"].(map[string]any)
		if len(list) != 1 || list[0].(map[string]any)["id"] != id || pg["total"] != float64(1) || pg["limit"] != float64(100) {
			t.Fatalf("list: %s", r.Raw)
		}
	})
	t.Run("SendByID", func(t *testing.T) {
		r := p.api("POST", "/api/messages/s1/send", map[string]any{"to": "34657032985", "type": "image",
			"message": map[string]any{"image": map[string]any{"mediaId": id}, "caption": "subida"}})
		expectStatus(t, r, 200)
		msg := r.data()["message"].(map[string]any)
		media, _ := msg["media"].(map[string]any)
		if msg["status"] != "sent" || msg["type"] != "image" || media["mimetype"] != "image/png" || media["filename"] != "foto.png" {
			t.Fatalf("send by id: %s", r.Raw)
		}
		sent := p.api("GET", "/api/_sim/sessions/s1/sent", nil)
		if !strings.Contains(string(sent.Raw), msg["whatsappMessageId"].(string)) {
			t.Fatalf("the network did not carry it: %s", sent.Raw)
		}
	})
	t.Run("ErrSendWrongType", func(t *testing.T) {
		doc := p.upload("s1", "file", "informe.pdf", pdf)
		expectStatus(t, doc, 201)
		docID := doc.data()["media"].(map[string]any)["id"].(string)
		if doc.data()["media"].(map[string]any)["mimetype"] != "application/pdf" {
			t.Fatalf("pdf upload: %s", doc.Raw)
		}
		expectError(t, p.api("POST", "/api/messages/s1/send", map[string]any{"to": "34657032985", "type": "image",
			"message": map[string]any{"image": map[string]any{"mediaId": docID}}}), 400, "VALIDATION_ERROR")
		expectError(t, p.api("POST", "/api/messages/s1/send", map[string]any{"to": "34657032985", "type": "image",
			"message": map[string]any{"image": map[string]any{"mediaId": "nope"}}}), 404, "NOT_FOUND")
	})
	t.Run("ErrUploads", func(t *testing.T) {
		expectError(t, p.upload("s1", "file", "big.bin", make([]byte, 5000)), 413, "PAYLOAD_TOO_LARGE")
		expectError(t, p.upload("s1", "attachment", "a.png", img), 400, "VALIDATION_ERROR")
		expectError(t, p.upload("s1", "file", "empty.txt", nil), 400, "VALIDATION_ERROR")
		expectError(t, p.api("POST", "/api/media/sessions/s1/upload", map[string]any{"file": "x"}), 400, "VALIDATION_ERROR")
		expectError(t, p.upload("nope", "file", "a.png", img), 404, "SESSION_NOT_FOUND")
		expectError(t, p.api("GET", "/api/media/sessions/nope", nil), 404, "SESSION_NOT_FOUND")
		expectError(t, p.api("GET", "/api/media/sessions/s1?limit=0", nil), 400, "VALIDATION_ERROR")
		expectError(t, p.do("GET", "/api/media/sessions/s1", "", nil), 401, "MISSING_API_KEY")
		if r := p.api("GET", "/api/media/sessions/s1", nil); r.data()["pagination"].(map[string]any)["total"] != float64(2) {
			t.Fatalf("refused uploads left files: %s", r.Raw)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		r := p.api("DELETE", "/api/media/"+id, nil)
		expectStatus(t, r, 200)
		if r.data()["id"] != id || r.data()["deleted"] != true {
			t.Fatalf("delete: %s", r.Raw)
		}
		expectError(t, p.api("GET", "/api/media/"+id, nil), 404, "NOT_FOUND")
		expectError(t, p.raw("GET", "/api/media/"+id+"/download", apiKey, "", nil).json(t), 404, "NOT_FOUND")
		expectError(t, p.api("DELETE", "/api/media/"+id, nil), 404, "NOT_FOUND")
		if r := p.raw("GET", strings.TrimPrefix(localURL(m["url"].(string)), p.url("")), "", "", nil); r.Status != 404 {
			t.Fatalf("the link still downloads the deleted file: %d", r.Status)
		}
	})
	t.Run("SurvivesRestart", func(t *testing.T) {
		p.crashRestart()
		r := p.api("GET", "/api/media/sessions/s1", nil)
		expectStatus(t, r, 200)
		if r.data()["total"] != float64(1) {
			t.Fatalf("after restart: %s", r.Raw)
		}
	})
}

func TestOpenAPIServed(t *testing.T) {
	p := startWagate(t)
	r := p.do("GET", "/api/openapi.json", "", nil)
	expectStatus(t, r, 200)
	if r.Body["openapi"] != "3.1.0" || r.Body["paths"] == nil {
		t.Fatalf("openapi.json: %.200s", r.Raw)
	}
}
