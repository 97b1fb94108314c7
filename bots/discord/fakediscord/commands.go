package fakediscord

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

// locales are the locales Discord knows (https://discord.com/developers/docs/reference#locales):
// the only keys it takes in a name or description localization.
var locales = map[string]bool{
	"id": true, "da": true, "de": true, "en-GB": true, "en-US": true, "es-ES": true, "es-419": true,
	"fr": true, "hr": true, "it": true, "lt": true, "hu": true, "nl": true, "no": true, "pl": true,
	"pt-BR": true, "ro": true, "fi": true, "sv-SE": true, "vi": true, "tr": true, "cs": true, "el": true,
	"bg": true, "ru": true, "uk": true, "hi": true, "th": true, "zh-CN": true, "ja": true, "zh-TW": true,
	"ko": true,
}

// commandName is Discord's rule for a chat command's or option's name (lower case here, as
// Discord requires of chat commands).
var commandName = regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)

// wireCommand is the part of an application command (or option) the fake checks.
type wireCommand struct {
	Name                     string            `json:"name"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations"`
	Options                  []wireCommand     `json:"options"`
}

// checkCommands refuses a bulk overwrite as Discord does: a bad name, a description that is
// empty or over 100 characters, a localization for a locale Discord does not know or over
// 100 characters, more than 100 commands or 25 options. It returns the form error's field.
func checkCommands(cmds []wireCommand) *apiError {
	if len(cmds) > 100 {
		e := formError("_", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
		return &e
	}
	for i, c := range cmds {
		if e := checkCommand(fmt.Sprint(i), c); e != nil {
			return e
		}
		if len(c.Options) > 25 {
			e := formError(fmt.Sprintf("%d.options", i), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
			return &e
		}
		for j, o := range c.Options {
			if e := checkCommand(fmt.Sprintf("%d.options.%d", i, j), o); e != nil {
				return e
			}
		}
	}
	return nil
}

func checkCommand(at string, c wireCommand) *apiError {
	if !commandName.MatchString(c.Name) {
		e := formError(at+".name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		return &e
	}
	if n := utf8.RuneCountInString(c.Description); n < 1 || n > 100 {
		e := formError(at+".description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
		return &e
	}
	for loc, d := range c.DescriptionLocalizations {
		if !locales[loc] {
			e := formError(at+".description_localizations."+loc, "LOCALE_INVALID", "Invalid locale: "+loc)
			return &e
		}
		if n := utf8.RuneCountInString(d); n < 1 || n > 100 {
			e := formError(at+".description_localizations."+loc, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
			return &e
		}
	}
	return nil
}
