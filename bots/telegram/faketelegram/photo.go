package faketelegram

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"
)

// Telegram's limits on sendPhoto with an uploaded file (core.telegram.org/bots/api#sendphoto,
// #sending-files): 10 MB for the photo, 1024 characters of caption.
const (
	MaxPhotoBytes    = 10 << 20
	MaxCaptionLength = 1024
)

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// sendPhoto takes a photo uploaded as multipart/form-data (the field named by "photo", or
// "attach://name" naming another field), refusing what Telegram refuses: no file, a file
// over MaxPhotoBytes, a file that is not a picture, a caption too long.
func (s *Server) sendPhoto(r *http.Request, p map[string]string) (any, *apiError) {
	data, e := uploadedPhoto(r, p)
	if e != nil {
		return nil, e
	}
	caption := p["caption"]
	if textLength(caption) > MaxCaptionLength {
		return nil, badRequest("message caption is too long")
	}
	plain := caption
	if caption != "" && p["parse_mode"] != "" {
		var err *apiError
		if plain, err = parseText(caption, p["parse_mode"]); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.targetLocked(p["chat_id"])
	if e != nil {
		return nil, e
	}
	c.nextID++
	m := &message{id: c.nextID, from: s.botUser(), fromBot: true, text: plain, media: "photo",
		photo: data, date: time.Now().Unix()}
	c.messages = append(c.messages, m)
	s.notifyLocked()
	return s.wireMessageLocked(c, m), nil
}

func uploadedPhoto(r *http.Request, p map[string]string) ([]byte, *apiError) {
	field := "photo"
	if ref, ok := strings.CutPrefix(p["photo"], "attach://"); ok {
		field = ref
	} else if p["photo"] != "" {
		return nil, badRequest("wrong file identifier/HTTP URL specified") // ids and URLs: not in this fake
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return nil, badRequest("there is no photo in the request")
	}
	files := r.MultipartForm.File[field]
	if files[0].Size > MaxPhotoBytes {
		return nil, badRequest("PHOTO_SAVE_FILE_INVALID: photo is too big, at most 10 MB")
	}
	f, err := files[0].Open()
	if err != nil {
		return nil, &apiError{code: http.StatusInternalServerError, description: "Internal Server Error"}
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, &apiError{code: http.StatusInternalServerError, description: "Internal Server Error"}
	}
	if !bytes.HasPrefix(data, pngMagic) && !bytes.HasPrefix(data, []byte("\xff\xd8\xff")) {
		return nil, badRequest("IMAGE_PROCESS_FAILED")
	}
	return data, nil
}
