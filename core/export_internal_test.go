package core

// SetAnswerPage sets the export's page size for a test and returns a function restoring it.
func SetAnswerPage(n int) (restore func()) {
	old := answerPage
	answerPage = n
	return func() { answerPage = old }
}
