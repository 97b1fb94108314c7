package core

import "time"

// DashboardStore holds the owners' page's sign-in tokens and answers its filtered questions.
// Time ranges are [from, to).
type DashboardStore interface {
	// CreateDashboardToken inserts tok (ECONFLICT when its hash exists) and forgets every
	// token that expired before tok.CreatedAt.
	CreateDashboardToken(tok DashboardToken) error
	// DashboardToken returns the token with the hash (ENOTFOUND).
	DashboardToken(hash string) (DashboardToken, error)
	// UseDashboardToken records that the token was used at at: ENOTFOUND when there is no
	// such token, ECONFLICT when it was used before. Of two callers racing, one wins.
	UseDashboardToken(hash string, at time.Time) error
	// DeleteDashboardToken forgets the token; nothing happens when there is none.
	DeleteDashboardToken(hash string) error

	// SliceScoreStats is ScoreStats restricted to the answers f selects.
	SliceScoreStats(from, to time.Time, f ReportFilter) ([]ScoreStat, error)
	// SliceSurveyCounts is SurveyCounts restricted to the runs f selects.
	SliceSurveyCounts(from, to time.Time, f ReportFilter) (sent, answered int, err error)
	// SliceLowestComments is LowestComments restricted to the answers f selects.
	SliceLowestComments(from, to time.Time, f ReportFilter, limit int) ([]Comment, error)
}

// ReportFilter narrows a report to one survey plan and to customers on one platform; an
// empty field does not filter.
type ReportFilter struct {
	Plan     string
	Platform Platform
}

// IsZero reports whether f selects everything.
func (f ReportFilter) IsZero() bool { return f == ReportFilter{} }

// TokenKind tells a sign-in link from a session.
type TokenKind string

// Token kinds of the owners' page.
const (
	TokenLink    TokenKind = "link"    // one use, DashboardLinkTTL
	TokenSession TokenKind = "session" // DashboardSessionTTL
)

// DashboardToken is a stored link or session of the owners' page. Hash is the hex SHA-256
// of the token; the token itself is never stored.
type DashboardToken struct {
	Hash      string
	Kind      TokenKind
	Member    string  // the owner's name in the team configuration
	Account   UserRef // the account they asked from
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until a link is used
}
