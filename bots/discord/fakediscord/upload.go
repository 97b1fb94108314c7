package fakediscord

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// MaxUploadBytes is Discord's default limit on the files of one message a bot sends
// (10 MiB; a boosted server may allow more). Over it, Discord answers 413 with code 40005.
const MaxUploadBytes = 10 << 20

// uploaded is one files[n] part of a multipart message.
type uploaded struct {
	index       int
	filename    string
	contentType string
	data        []byte
}

var filesField = regexp.MustCompile(`^files\[(\d+)\]$`)

// readBody reads a JSON body, or a multipart one (payload_json and files[n], as Discord takes
// messages with files): the JSON, the files, or the error to answer.
func readBody(r *http.Request) ([]byte, []uploaded, *reply) {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		raw, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		return raw, nil, nil
	}
	tooLarge := fail(http.StatusRequestEntityTooLarge, 40005, "Request entity too large")
	body := http.MaxBytesReader(nil, r.Body, MaxUploadBytes+1<<20) // the files and the form around them
	mr := multipart.NewReader(body, params["boundary"])
	var raw []byte
	var files []uploaded
	total := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if _, big := errors.AsType[*http.MaxBytesError](err); big {
				return nil, nil, &tooLarge
			}
			e := fail(http.StatusBadRequest, 50035, "Invalid Form Body")
			return nil, nil, &e
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, &tooLarge
		}
		name := part.FormName()
		if name == "payload_json" {
			raw = data
			continue
		}
		if m := filesField.FindStringSubmatch(name); m != nil {
			i, _ := strconv.Atoi(m[1])
			total += len(data)
			files = append(files, uploaded{index: i, filename: part.FileName(), contentType: part.Header.Get("Content-Type"), data: data})
		}
	}
	if total > MaxUploadBytes {
		return nil, nil, &tooLarge
	}
	return raw, files, nil
}

// attachmentMeta is an entry of payload_json's attachments: its id is the n of files[n].
type attachmentMeta struct {
	ID          json.Number `json:"id"`
	Filename    string      `json:"filename"`
	Description string      `json:"description"`
}

// routeUpload serves a message created with files. Callers hold s.mu.
func (s *Server) routeUpload(method, path string, raw []byte, files []uploaded) reply {
	p := strings.Split(strings.Trim(path, "/"), "/")
	if !(len(p) == 3 && p[0] == "channels" && p[2] == "messages" && method == "POST") {
		return fail(http.StatusBadRequest, 50035, "Invalid Form Body: files are not taken here by this fake")
	}
	var meta struct {
		Attachments []attachmentMeta `json:"attachments"`
	}
	_ = json.Unmarshal(raw, &meta)
	var atts []Attachment
	for _, f := range files {
		a := Attachment{ID: s.newID(), Filename: f.filename, Size: len(f.data), ContentType: f.contentType, Data: f.data}
		for _, m := range meta.Attachments {
			if m.ID.String() == strconv.Itoa(f.index) {
				if m.Filename != "" {
					a.Filename = m.Filename
				}
				a.Description = m.Description
			}
		}
		if len([]rune(a.Description)) > 1024 {
			return reply{http.StatusBadRequest, formError("attachments.0.description", "BASE_TYPE_MAX_LENGTH", "Must be 1024 or fewer in length.")}
		}
		a.URL = "https://cdn.discordapp.com/attachments/" + p[1] + "/" + a.ID + "/" + a.Filename
		atts = append(atts, a)
	}
	rep := s.createMessage(p[1], raw, atts)
	return rep
}

// attach puts the files on m and points each embed image "attachment://name" at its
// file, as Discord does.
func attach(m *Message, atts []Attachment) {
	m.Attachments = append(m.Attachments, atts...)
	for i := range m.Embeds {
		img := m.Embeds[i].Image
		if img == nil {
			continue
		}
		name, ok := strings.CutPrefix(img.URL, "attachment://")
		if !ok {
			continue
		}
		for _, a := range atts {
			if a.Filename == name {
				m.Embeds[i].Image = &EmbedImage{URL: a.URL}
			}
		}
	}
}
