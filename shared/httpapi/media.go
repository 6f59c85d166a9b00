package httpapi

import (
	"errors"
	"io"
	"net/http"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

// Routes under /api/media/: the files a session keeps (uploaded, received,
// sent). Decisions in docs/statuses-media.md.

// uploadOverhead is what a multipart body may carry beyond the file
// (boundaries, part headers, small fields).
const uploadOverhead = 1 << 20

type mediaList struct {
	Media      []mediaFileDTO `json:"media"`
	Total      int            `json:"total"`
	Pagination pagination     `json:"pagination"`
}

type mediaOne struct {
	Media mediaFileDTO `json:"media"`
}

func (s *Server) handleListMedia(w http.ResponseWriter, r *http.Request) {
	page, limit, err := pageParams(r, service.DefaultPageLimit, service.MaxPageLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, total, err := s.MediaFiles.List(r.Context(), r.PathValue("sessionId"), page, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := mediaList{Media: make([]mediaFileDTO, 0, len(list)), Total: total, Pagination: newPagination(total, page, limit)}
	for _, f := range list {
		out.Media = append(out.Media, s.mediaFileOf(r.Context(), f))
	}
	writeOK(w, http.StatusOK, "", out)
}

// handleUpload stores the multipart field "file". The body is read as a
// stream: the file goes to the blob store as it arrives, never whole into
// memory, and stops at the upload limit.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	max := s.MediaFiles.MaxBytes()
	r.Body = http.MaxBytesReader(w, r.Body, max+uploadOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		s.writeError(w, r, invalid(`The body must be multipart/form-data with the file in the field "file".`))
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			s.writeError(w, r, invalid(`The multipart body has no field "file": send the file in a field named file.`))
			return
		} else if err != nil {
			s.writeError(w, r, uploadError(err, max))
			return
		}
		if part.FormName() != "file" {
			_, _ = io.Copy(io.Discard, part)
			continue
		}
		f, err := s.MediaFiles.Upload(r.Context(), r.PathValue("sessionId"), part.FileName(), part)
		if err != nil {
			s.writeError(w, r, uploadError(err, max))
			return
		}
		writeOK(w, http.StatusCreated, "Media file uploaded.", mediaOne{s.mediaFileOf(r.Context(), f)})
		return
	}
}

// uploadError names a body cut by the request limit as too large and a
// malformed multipart body as invalid.
func uploadError(err error, max int64) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return service.TooLarge(max)
	case wagate.ErrorCode(err) != wagate.EINTERNAL:
		return err
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("The multipart body ended before the file did.")
	}
	return err
}

func (s *Server) handleGetMedia(w http.ResponseWriter, r *http.Request) {
	f, err := s.MediaFiles.Get(r.Context(), r.PathValue("mediaFileId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "", mediaOne{s.mediaFileOf(r.Context(), f)})
}

// handleMediaAction serves GET /api/media/{mediaFileId}/download. It is
// registered as /api/media/{mediaFileId}/{action} because a literal
// "/download" would conflict with GET /api/media/sessions/{sessionId}
// (both match /api/media/sessions/download), which net/http refuses.
func (s *Server) handleMediaAction(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("action") != "download" {
		s.writeError(w, r, wagate.Errorf(wagate.ENOTFOUND, "No route for %s %s.", r.Method, r.URL.Path))
		return
	}
	f, rc, info, err := s.MediaFiles.Open(r.Context(), r.PathValue("mediaFileId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer rc.Close()
	streamFile(w, rc, info, f.Filename)
}

func (s *Server) handleDeleteMedia(w http.ResponseWriter, r *http.Request) {
	f, err := s.MediaFiles.Delete(r.Context(), r.PathValue("mediaFileId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "Media file deleted.", struct {
		ID      string `json:"id"`
		Deleted bool   `json:"deleted"`
	}{f.ID, true})
}
