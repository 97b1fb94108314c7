package sqlite

import (
	"fmt"

	"earshot/core"
)

const threadCols = `id, complaint_id, author, account_platform, account_id, from_team, text, at`

func scanThreadMessage(s scanner) (core.ThreadMessage, error) {
	var m core.ThreadMessage
	err := s.Scan(&m.ID, &m.ComplaintID, &m.Author, &m.Account.Platform, &m.Account.ID,
		&m.FromTeam, &m.Text, timeOf(&m.At))
	return m, err
}

const qAddThreadMessage = `INSERT INTO thread_messages (complaint_id, author, account_platform,
	account_id, from_team, text, at) VALUES (?, ?, ?, ?, ?, ?, ?)`

// AddThreadMessage inserts m and sets m.ID.
func (t *tx) AddThreadMessage(m *core.ThreadMessage) error {
	res, err := t.exec(qAddThreadMessage, m.ComplaintID, m.Author, string(m.Account.Platform),
		m.Account.ID, m.FromTeam, m.Text, ms(m.At))
	if err != nil {
		return fmt.Errorf("storage: add thread message: %w", err)
	}
	if m.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("storage: add thread message: %w", err)
	}
	return nil
}

const qThread = `SELECT ` + threadCols + ` FROM thread_messages WHERE complaint_id = ?
	ORDER BY at, id`

// Thread returns a complaint's messages, oldest first.
func (t *tx) Thread(complaintID int64) ([]core.ThreadMessage, error) {
	rows, err := t.query(qThread, complaintID)
	return scanAll(rows, err, "thread", scanThreadMessage)
}
