package config

import "maps"

// builtin returns a copy of a built-in text, so no Config shares a map with another.
func builtin(key string) Text { return Text{ByLang: maps.Clone(builtinTexts[key].ByLang)} }

// builtinTexts are the built-in after-delivery survey's questions in every language earshot
// speaks, so that a business without surveys of its own asks them in any language it
// offers. French puts a no-break space before "?".
var builtinTexts = map[string]Text{
	"courtesy": {ByLang: map[string]string{
		"en": "How courteous were we?",
		"de": "Wie freundlich waren wir?",
		"fr": "Comment jugez-vous notre amabilité\u00a0?",
		"es": "¿Cómo valora nuestra amabilidad?",
		"it": "Come valuta la nostra cortesia?",
		"nl": "Hoe vriendelijk waren we?",
		"pt": "Como você avalia a nossa cordialidade?",
	}},
	"speed": {ByLang: map[string]string{
		"en": "How fast were we?",
		"de": "Wie schnell waren wir?",
		"fr": "Comment jugez-vous notre rapidité\u00a0?",
		"es": "¿Cómo valora nuestra rapidez?",
		"it": "Come valuta la nostra rapidità?",
		"nl": "Hoe snel waren we?",
		"pt": "Como você avalia a nossa rapidez?",
	}},
	"quality": {ByLang: map[string]string{
		"en": "How good is the product?",
		"de": "Wie gut ist das Produkt?",
		"fr": "Comment jugez-vous la qualité du produit\u00a0?",
		"es": "¿Cómo valora el producto?",
		"it": "Come valuta il prodotto?",
		"nl": "Hoe goed is het product?",
		"pt": "Como você avalia o produto?",
	}},
	"comment": {ByLang: map[string]string{
		"en": "Anything we could do better?",
		"de": "Was können wir besser machen?",
		"fr": "Que pourrions-nous améliorer\u00a0?",
		"es": "¿Qué podríamos mejorar?",
		"it": "C'è qualcosa che potremmo fare meglio?",
		"nl": "Kunnen we iets beter doen?",
		"pt": "Há algo que poderíamos fazer melhor?",
	}},
}
