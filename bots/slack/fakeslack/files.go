package fakeslack

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"
)

// Slack's limits on a file shared with the upload flow (docs.slack.dev/messaging/working-with-files,
// files.getUploadURLExternal): a file of at most 1 GB, alt text of at most 1000 characters.
// A workspace may restrict uploads of large files further (Options.MaxUploadBytes), which
// Slack answers with file_upload_size_restricted.
const (
	MaxFileBytes = 1 << 30
	MaxAltText   = 1000
)

// File is a file uploaded with files.getUploadURLExternal and the POST to its URL; once
// files.completeUploadExternal shares it, Channel and TS say where.
type File struct {
	ID, Name, Title, AltText string
	Length                   int // the length announced to getUploadURLExternal
	Data                     []byte
	Uploaded                 bool
	Channel, TS, Comment     string
}

// Files returns the files shared in a channel, oldest first.
func (s *Server) Files(channel string) []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []File
	for _, id := range s.fileOrder {
		if f := s.files[id]; f.Channel == channel && f.TS != "" {
			out = append(out, *f)
		}
	}
	return out
}

func (s *Server) maxUploadLocked() int {
	if s.opts.MaxUploadBytes > 0 {
		return min(s.opts.MaxUploadBytes, MaxFileBytes)
	}
	return MaxFileBytes
}

// getUploadURLLocked is files.getUploadURLExternal: it reserves a file id and returns the
// URL to POST its bytes to.
func (s *Server) getUploadURLLocked(p url.Values) (result, *apiError) {
	length, err := strconv.Atoi(p.Get("length"))
	switch {
	case p.Get("filename") == "" || err != nil || length <= 0:
		return nil, fail("missing_argument")
	case utf8.RuneCountInString(p.Get("alt_txt")) > MaxAltText:
		return nil, fail("alt_txt_too_large")
	case length > s.maxUploadLocked():
		return nil, fail("file_upload_size_restricted")
	}
	s.seq++
	f := &File{ID: fmt.Sprintf("F%07d", s.seq), Name: p.Get("filename"), AltText: p.Get("alt_txt"), Length: length}
	s.files[f.ID] = f
	s.fileOrder = append(s.fileOrder, f.ID)
	return result{"upload_url": s.srv.URL + "/upload/v1/" + f.ID, "file_id": f.ID}, nil
}

// serveUpload takes a file's bytes at its upload URL, raw or as a multipart form (any
// field), and answers 200 "OK - <length>" as Slack's upload service does. More bytes than
// announced are refused with 413.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	f, ok := s.files[r.PathValue("id")]
	limit := 0
	if ok {
		limit = f.Length
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	data, err := readUpload(r, limit)
	if err != nil {
		http.Error(w, "Request Entity Too Large", http.StatusRequestEntityTooLarge)
		return
	}
	s.mu.Lock()
	f.Data, f.Uploaded = data, true
	s.mu.Unlock()
	_, _ = fmt.Fprintf(w, "OK - %d", len(data))
}

func readUpload(r *http.Request, limit int) ([]byte, error) {
	body := http.MaxBytesReader(nil, r.Body, int64(limit)+64<<10) // room for the form's own bytes
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var data []byte
	var err error
	if ct == "multipart/form-data" {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, perr := mr.NextPart()
			if perr != nil {
				return nil, fmt.Errorf("no file in the form: %w", perr)
			}
			if part.FileName() != "" {
				data, err = io.ReadAll(part)
				break
			}
		}
	} else {
		data, err = io.ReadAll(body)
	}
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%d bytes, %d announced", len(data), limit)
	}
	return data, nil
}

// completeUploadLocked is files.completeUploadExternal: it shares uploaded files in
// channel_id (a DM's or a channel the bot is in) with the initial comment.
func (s *Server) completeUploadLocked(p url.Values) (result, *apiError) {
	var list []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(p.Get("files")), &list); err != nil || len(list) == 0 {
		return nil, fail("invalid_arguments")
	}
	for _, it := range list {
		f, ok := s.files[it.ID]
		if !ok || !f.Uploaded || f.TS != "" {
			return nil, fail("file_not_found")
		}
		if len(f.Data) != f.Length {
			return nil, fail("file_upload_size_mismatch") // fewer bytes than announced
		}
	}
	if p.Get("channel_id") == "" {
		return nil, fail("invalid_arguments") // a file shared nowhere is not what the bot wants
	}
	c, aerr := s.channelLocked(p.Get("channel_id"))
	if aerr != nil {
		return nil, aerr
	}
	var files []result
	for _, it := range list {
		f := s.files[it.ID]
		f.Title, f.Channel, f.TS, f.Comment = it.Title, c.ID, s.tsLocked(), p.Get("initial_comment")
		files = append(files, result{"id": f.ID, "title": f.Title})
	}
	return result{"files": files}, nil
}

// RestrictUploads makes the workspace refuse files over max bytes, as an admin can.
func (s *Server) RestrictUploads(max int) {
	s.mu.Lock()
	s.opts.MaxUploadBytes = max
	s.mu.Unlock()
}
