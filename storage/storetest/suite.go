// Package storetest is the conformance suite of earshot's stores: one set of black-box
// tests over core.Store and core.Tx that every storage driver (SQLite, PostgreSQL) runs,
// so that each store method behaves the same on both.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, storetest.Driver{Open: func(t testing.TB) core.Store { … }})
//	}
package storetest

import (
	"testing"

	"earshot/core"
)

// Driver is what the suite needs from a storage driver.
type Driver struct {
	// Open returns a new store with the current schema and nothing in it, closed when the
	// test ends.
	Open func(t testing.TB) core.Store
	// Raw, when set, makes the store write out everything it holds (a checkpoint) and
	// returns the bytes of its files: the erase tests look there for erased text. Drivers
	// whose files the test cannot read leave it nil.
	Raw func(t testing.TB, s core.Store) string
	// Gone makes the store see the outbox claimer instance as gone, so that ReclaimOutbox
	// takes over its claims: on SQLite this process takes the database's lock (then every
	// other instance is gone), on PostgreSQL the instance's lease runs out. Nil skips the
	// takeover test.
	Gone func(t testing.TB, s core.Store, instance string)
}

// test is one conformance test, given a fresh store.
type test struct {
	name string
	fn   func(t *testing.T, d Driver, db core.Store)
}

// plain adapts a test that needs only the store.
func plain(name string, fn func(t *testing.T, db core.Store)) test {
	return test{name, func(t *testing.T, _ Driver, db core.Store) { fn(t, db) }}
}

var tests = []test{
	plain("ContactRoundTrip", testContactRoundTrip),
	plain("ContactErrors", testContactErrors),
	plain("UpdateContact", testUpdateContact),
	plain("UpdateContactRef", testUpdateContactRef),
	plain("ContactLanguage", testContactLanguage),
	plain("Invites", testInvites),
	plain("ReusableInvite", testReusableInvite),
	plain("CustomerLinks", testCustomerLinks),
	plain("WaitingTouches", testWaitingTouches),
	plain("ComplaintsStartAt1001AndRoundTrip", testComplaintsStartAt1001AndRoundTrip),
	plain("ComplaintsFilter", testComplaintsFilter),
	plain("ComplaintByCard", testComplaintByCard),
	plain("ThreadAndBreaches", testThreadAndBreaches),
	plain("ComplaintByCardFindsMessagesThreadedUnderIt", testComplaintByCardFindsMessagesThreadedUnderIt),
	plain("ComplaintsActiveFrom", testComplaintsActiveFrom),
	plain("Jobs", testJobs),
	plain("JobZeroDueIsDueAtOnce", testJobZeroDueIsDueAtOnce),
	plain("TakeJob", testTakeJob),
	plain("OutboxRoundTrip", testOutboxRoundTrip),
	plain("ClaimOutboxHeadOfLine", testClaimOutboxHeadOfLine),
	plain("MarkSent", testMarkSent),
	plain("RetargetOutbox", testRetargetOutbox),
	plain("NextOutboxAtAndStats", testNextOutboxAtAndStats),
	plain("ClaimOutboxRandomKeepsChatOrder", testClaimOutboxRandomKeepsChatOrder),
	plain("ClaimOutboxByClass", testClaimOutboxByClass),
	test{"ReclaimOutbox", testReclaimOutbox},
	plain("PruneOutboxKeepsWhatIsStillReferred", testPruneOutboxKeepsWhatIsStillReferred),
	plain("PruneInbound", testPruneInbound),
	plain("Reports", testReports),
	plain("TouchpointsKeyed", testTouchpointsKeyed),
	plain("Runs", testRuns),
	plain("Answers", testAnswers),
	plain("UpdateRunEachIndexedColumn", testUpdateRunEachIndexedColumn),
	plain("ScoreStatsEqualRawAggregation", testScoreStatsEqualRawAggregation),
	plain("ScoreStatsKolkataWeekEdges", testScoreStatsKolkataWeekEdges),
	plain("EraseKeepsScoreStats", testEraseKeepsScoreStats),
	test{"EraseContact", testEraseContact},
	test{"MessageToAnErasedContactLosesItsAddressWhenDone", testMessageToAnErasedContactLosesItsAddressWhenDone},
	test{"EraseScrubsQuotesInDigest", testEraseScrubsQuotesInDigest},
	plain("ViewCannotWrite", testViewCannotWrite),
	plain("UpdateRollsBackOnError", testUpdateRollsBackOnError),
	plain("UpdateRollsBackOnPanic", testUpdateRollsBackOnPanic),
	plain("ConcurrentUpdatesAndViews", testConcurrentUpdatesAndViews),
	plain("InboundDuplicate", testInboundDuplicate),
	plain("State", testState),
	plain("InactiveContacts", testInactiveContacts),
	plain("AnswerRows", testAnswerRows),
	plain("DashboardTokens", testDashboardTokens),
	plain("SliceScoreStatsEqualRawAggregation", testSliceScoreStatsEqualRawAggregation),
	plain("SliceCountsAndComments", testSliceCountsAndComments),
	plain("KindCountsEqualRawCounts", testKindCountsEqualRawCounts),
	plain("CommentsSkipChoices", testCommentsSkipChoices),
}

// Run runs the conformance suite against the driver, each test on a fresh store.
func Run(t *testing.T, d Driver) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, d, d.Open(t))
		})
	}
}
