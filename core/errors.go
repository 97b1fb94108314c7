package core

import (
	"errors"
	"fmt"
)

// Error codes. Each adapter maps them to a reply in one table; anything without a code is
// internal and reaches a person as one polite line while the log gets the detail.
const (
	EINVALID   = "invalid"   // the input is malformed or not allowed here
	ENOTFOUND  = "not_found" // the thing named does not exist
	ECONFLICT  = "conflict"  // the thing exists but its state forbids the change
	EFORBIDDEN = "forbidden" // the person may not do this
	EINTERNAL  = "internal"
)

// Error is a domain error: a code and a message fit to show a person.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL otherwise, and ""
// for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a generic line for
// internal errors, whose detail belongs in the log only.
func ErrorMessage(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Message
	}
	return "Something went wrong on our side. Please try again in a moment."
}

// ErrorText is ErrorMessage for a person who reads lang: an internal error's polite line
// comes from the catalogs (KeyErrorInternal); a domain error's message is as core wrote it.
func ErrorText(texts Texts, lang Lang, err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Message
	}
	return texts.Text(lang, KeyErrorInternal, nil)
}

// IsNotFound reports whether err has code ENOTFOUND.
func IsNotFound(err error) bool { return ErrorCode(err) == ENOTFOUND }
