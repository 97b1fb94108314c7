package config

import (
	"slices"
	"strings"
	"testing"
)

func TestCustomerNamespaces(t *testing.T) {
	c, err := Parse([]byte("customers: {namespaces: [shop, crm-2]}\n"), envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	set, err := c.Settings()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(set.Namespaces, []string{"shop", "crm-2"}) {
		t.Errorf("namespaces = %v", set.Namespaces)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"customers: {namespaces: [telegram]}", `customers.namespaces[0]: "telegram" is a platform's name`},
		{"customers: {namespaces: [shop, Shop]}", `customers.namespaces[1]: "Shop": a namespace is 1-32 lower-case letters`},
		{"customers: {namespaces: [shop, shop]}", `customers.namespaces[1]: "shop" is listed twice`},
		{"customers: {namespaces: [\"\"]}", `customers.namespaces[0]: "": a namespace`},
		{"customers: {namespace: [shop]}", "namespace"},
	} {
		_, err := Parse([]byte(tc.yaml+"\n"), envOf(nil))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v; want it to contain %q", tc.yaml, err, tc.want)
		}
	}
}
