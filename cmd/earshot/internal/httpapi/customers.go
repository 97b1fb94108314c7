package httpapi

import (
	"net/http"
	"strings"

	"earshot/core"
)

// customerRef parses a customer reference from a request: a chat account on a platform
// this service runs (telegram:123) or the business's own id (shop:4711).
func (a *api) customerRef(s string) (core.CustomerRef, error) {
	if strings.TrimSpace(s) == "" {
		return core.CustomerRef{}, badRequest("customer is required (PLATFORM:ID like telegram:123456789, or the business's own NAMESPACE:ID like shop:4711)")
	}
	c, err := a.svc.ParseCustomer(s)
	if err != nil {
		return core.CustomerRef{}, badRequest("customer: %s", core.ErrorMessage(err))
	}
	if c.External.IsZero() {
		if err := a.enabled(c.Account.Platform); err != nil {
			return core.CustomerRef{}, err
		}
	}
	return c, nil
}

// customer answers GET /api/v1/customers/{ref}: the linked accounts, language, opted out,
// reachable and last seen; never free text.
func (a *api) customer(w http.ResponseWriter, r *http.Request) {
	c, err := a.customerRef(r.PathValue("ref"))
	if err != nil {
		a.refuse(w, r, err)
		return
	}
	v, err := a.svc.Customer(r.Context(), c)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

type eraseResponse struct {
	Customer string `json:"customer"`
	Erased   int    `json:"erased_accounts"`
}

// eraseCustomer answers DELETE /api/v1/customers/{ref}: erases as `earshot erase` does,
// every account linked to the business's id.
func (a *api) eraseCustomer(w http.ResponseWriter, r *http.Request) {
	c, err := a.customerRef(r.PathValue("ref"))
	if err != nil {
		a.refuse(w, r, err)
		return
	}
	n, err := a.svc.EraseCustomer(r.Context(), c)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, eraseResponse{Customer: c.String(), Erased: n})
}
