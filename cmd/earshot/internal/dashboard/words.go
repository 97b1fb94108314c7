package dashboard

import (
	"fmt"
	"html/template"
	"strings"

	"earshot/core"
)

// The page's words come from the catalogs (page.yaml), in the signed-in owner's language,
// else the business's. Templates write {{t .Lang "page_surveys"}}, and pass a sentence's
// values as name, value pairs: {{t $.Lang "page_since" "At" .Opened}}; a "Count" picks the
// plural form.

// words returns the templates' t: key in lang with args.
// The text is escaped here (its values too: a business's name is not markup), leaving
// apostrophes as they are, so that the page reads "owners' page" in its source as well.
func words(texts core.Texts) func(lang core.Lang, key string, args ...any) (template.HTML, error) {
	return func(lang core.Lang, key string, args ...any) (template.HTML, error) {
		if len(args)%2 != 0 {
			return "", fmt.Errorf("t %s: arguments come in name, value pairs", key)
		}
		var a core.Args
		for i := 0; i < len(args); i += 2 {
			name, ok := args[i].(string)
			if !ok {
				return "", fmt.Errorf("t %s: argument %d is not a name", key, i)
			}
			if a == nil {
				a = core.Args{}
			}
			a[name] = args[i+1]
		}
		return template.HTML(escaper.Replace(texts.Text(lang, core.Key(key), a))), nil
	}
}

// escaper escapes text for an element's content or a quoted attribute.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;")

// headView is what the document's head needs: its language and title.
type headView struct {
	Lang  core.Lang
	Title template.HTML
}

// head is the templates' head: {{template "head" (head .Lang "title")}}; a title from t is
// escaped already.
func head(lang core.Lang, title any) headView {
	h, ok := title.(template.HTML)
	if !ok {
		h = template.HTML(escaper.Replace(fmt.Sprint(title)))
	}
	return headView{Lang: lang, Title: h}
}
