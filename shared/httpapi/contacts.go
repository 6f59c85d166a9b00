package httpapi

import (
	"net/http"
	"strings"

	"github.com/wagate/wagate/shared/service"
)

// DefaultContactLimit is the page size of contact lists (the seed's 50).
const DefaultContactLimit = 50

func (s *Server) handleListContacts(w http.ResponseWriter, r *http.Request) {
	page, limit, err := pageParams(r, DefaultContactLimit, service.MaxPageLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	search := strings.TrimSpace(r.URL.Query().Get("search"))
	list, total, err := s.Contacts.List(r.Context(), r.PathValue("sessionId"), search, page, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "", contactPage{Contacts: contactsOf(list), Total: total, Pagination: newPagination(total, page, limit), Search: strOrNil(search)})
}

func (s *Server) handleSearchContact(w http.ResponseWriter, r *http.Request) {
	res, pending, err := s.Contacts.Search(r.Context(), r.PathValue("sessionId"), r.PathValue("phoneNumber"))
	switch {
	case err != nil:
		s.writeError(w, r, err)
	case pending != nil:
		writeAccepted(w, pending)
	default:
		writeOK(w, http.StatusOK, "", searchOf(res))
	}
}

func (s *Server) handleContactInfo(w http.ResponseWriter, r *http.Request) {
	res, pending, err := s.Contacts.Info(r.Context(), r.PathValue("sessionId"), r.PathValue("contactId"))
	switch {
	case err != nil:
		s.writeError(w, r, err)
	case pending != nil:
		writeAccepted(w, pending)
	default:
		writeOK(w, http.StatusOK, "", contactInfoOf(res))
	}
}

func (s *Server) handleContactStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.Contacts.Stats(r.Context(), r.PathValue("sessionId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "", struct {
		Stats contactStatsDTO `json:"stats"`
	}{contactStatsDTO{Total: st.Total, Users: st.Users, Groups: st.Groups, WAContacts: st.WAContacts, WithNames: st.WithNames, WithProfilePics: st.WithProfilePics}})
}
