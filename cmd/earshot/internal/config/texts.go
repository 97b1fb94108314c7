package config

import (
	"fmt"

	"earshot/bots/i18n"
	"earshot/core"
)

// Texts returns the catalogs in the business's language (business.language).
func (c *Config) Texts() (*i18n.Catalog, error) {
	cat, err := i18n.New(i18n.Options{Default: core.Lang(c.Business.Language)})
	if err != nil {
		return nil, fmt.Errorf("config: business.language: %w", err)
	}
	return cat, nil
}
