package config

import (
	"fmt"

	"earshot/bots/i18n"
	"earshot/core"
)

// Texts returns the catalogs for what earshot says: business.language by default, the
// languages of business.languages offered to customers, and the business's own sentences
// (messages:) in place of the catalogs'.
func (c *Config) Texts() (*i18n.Catalog, error) {
	cat, err := i18n.New(c.textOptions())
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return cat, nil
}

// textOptions are the catalogs' options from business.language, business.languages and
// messages.
func (c *Config) textOptions() i18n.Options {
	o := i18n.Options{Default: core.Lang(c.Business.Language), Overrides: c.Messages.overrides()}
	for _, l := range c.Business.Languages {
		o.Offered = append(o.Offered, core.Lang(l))
	}
	return o
}
