package config

import (
	"fmt"

	"earshot/core"
)

// Customers is how the business names its customers (customers: in the file).
type Customers struct {
	// Namespaces are the business's own customer id namespaces: "shop" makes shop:4711 a
	// customer reference beside telegram:123. None: only chat accounts name customers.
	Namespaces []string `yaml:"namespaces"`
}

func (c *Config) validateCustomers(p *problems) {
	seen := map[string]bool{}
	for i, ns := range c.Customers.Namespaces {
		at := fmt.Sprintf("customers.namespaces[%d]", i)
		if err := core.CheckNamespace(ns); err != nil {
			p.add(at, "%s", core.ErrorMessage(err))
		} else if seen[ns] {
			p.add(at, "%q is listed twice", ns)
		}
		seen[ns] = true
	}
}
