package postgres

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"earshot/core"
)

const outboxCols = `id, platform, chat_id, dm, payload, edit_of, thread_of, contact_id, state,
	created_at, due_at, lease_until, attempts, last_error, sent_at, sent_id, class,
	coalesce(claimed_by, '')`

func scanOutbox(s scanner) (core.OutboxMessage, error) {
	var m core.OutboxMessage
	var payload string
	err := s.Scan(&m.ID, &m.To.Platform, &m.To.ID, &m.DM, &payload, nullIDOf(&m.EditOf),
		nullIDOf(&m.ThreadOf), nullIDOf(&m.ContactID), &m.State, timeOf(&m.CreatedAt),
		timeOf(&m.DueAt), timeOf(&m.LeaseUntil), &m.Attempts, &m.LastError, timeOf(&m.SentAt),
		&m.SentID, &m.Class, &m.ClaimedBy)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(payload), &m.Message); err != nil {
		return m, fmt.Errorf("outbox %d payload: %w", m.ID, err)
	}
	return m, nil
}

// qEnqueue writes a pending message; the insert makes it its chat's head if the chat had
// none (trigger outbox_head_insert) and wakes the replicas at commit (outbox_notify).
// CreatedAt is the due time: a Tx has no clock, and core enqueues messages due now.
const qEnqueue = `INSERT INTO outbox (platform, chat_id, dm, payload, edit_of, thread_of,
	contact_id, state, created_at, due_at, class)
	VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10) RETURNING id`

// Enqueue inserts a pending message due at due and returns its id.
func (t *tx) Enqueue(o core.Outgoing, due time.Time) (int64, error) {
	payload, err := json.Marshal(o.Message)
	if err != nil {
		return 0, fmt.Errorf("postgres: enqueue: %w", err)
	}
	id, err := t.insertID(qEnqueue, string(o.To.Platform), o.To.ID, o.DM, string(payload),
		nullID(o.EditOf), nullID(o.ThreadOf), nullID(o.ContactID), ms(due), msDue(due), classOf(o.Class))
	if err != nil {
		return 0, fmt.Errorf("postgres: enqueue: %w", err)
	}
	return id, nil
}

const qOutboxMessage = `SELECT ` + outboxCols + ` FROM outbox WHERE id = $1`

// OutboxMessage returns the message with the id (ENOTFOUND).
func (t *tx) OutboxMessage(id int64) (core.OutboxMessage, error) {
	m, err := scanOutbox(t.queryRow(qOutboxMessage, id))
	if err != nil {
		return core.OutboxMessage{}, notFound(err, "outbox message", "outbox message %d not found", id)
	}
	return m, nil
}

// classOf is the stored class: ClassTeam for none or an unknown one.
func classOf(c core.Class) int {
	if c < core.ClassReply || c > core.ClassCosmetic {
		return int(core.ClassTeam)
	}
	return int(c)
}

// claimedUntil is lease_until while a message is claimed: claims do not expire by time (see
// core.OutboxStore), and outbox_heads then holds the chat back.
var claimedUntil = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// qClaim claims the heads of the chats whose oldest pending message is due and not claimed,
// most urgent class first. outbox_heads (kept by triggers) has one row per chat with pending
// messages; the claim locks the head rows it takes and skips those another replica is
// claiming at the moment, so each chat's head goes to one replica and its messages leave in
// order.
const qClaim = `WITH heads AS (
		SELECT head_id FROM outbox_heads WHERE ready_at <= $2 AND class >= $5
		ORDER BY class, head_id LIMIT $3 FOR UPDATE SKIP LOCKED
	)
	UPDATE outbox SET lease_until = $1, claimed_by = $4 WHERE id IN (SELECT head_id FROM heads)
	RETURNING ` + outboxCols

// ClaimOutbox claims for owner, for up to limit chats, the chat's oldest pending message
// when it is due, not claimed and of class least or less urgent, and returns those messages
// ordered by id.
func (t *tx) ClaimOutbox(now time.Time, owner string, least core.Class, limit int) ([]core.OutboxMessage, error) {
	if owner == "" {
		return nil, core.Errorf(core.EINVALID, "postgres: claim outbox: no owner")
	}
	rows, err := t.writeRows(qClaim, msDue(claimedUntil), now.UnixMilli(), limit, owner, int(least))
	out, err := scanAll(rows, err, "claim outbox", scanOutbox)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b core.OutboxMessage) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Instances on one PostgreSQL. An instance is alive while its lease named instanceLease +
// its id is current; ReclaimOutbox renews the caller's for instanceTTL and core calls it
// every few seconds while it delivers, so a live instance's claims are never taken however
// long a send takes, and those of one that stopped are taken over by another within
// instanceTTL and one call interval. Times are the database's, so replicas' clocks may
// differ.
const (
	instanceLease = "outbox:"
	instanceTTL   = 10 * time.Second
)

// qInstanceAlive renews owner's lease.
const qInstanceAlive = `INSERT INTO leases (name, holder, until)
	VALUES ($1, $2, clock_timestamp() + $3::bigint * interval '1 millisecond')
	ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until`

// qReclaim ends the claims of instances without a current lease (and the time-limited
// leases of older versions, which name no instance).
const qReclaim = `UPDATE outbox SET lease_until = NULL, claimed_by = NULL
	WHERE lease_until IS NOT NULL AND state = 'pending' AND (claimed_by IS NULL OR
		(claimed_by <> $1 AND NOT EXISTS (SELECT 1 FROM leases
			WHERE name = $2 || outbox.claimed_by AND until >= clock_timestamp())))`

// qForgetInstances drops the leases of instances gone for a while, whose claims are taken over.
const qForgetInstances = `DELETE FROM leases WHERE name LIKE $1 || '%' AND until < clock_timestamp() - interval '1 hour'`

// ReclaimOutbox records that owner is alive, takes over the claims of instances that are
// not, and says how many it took.
func (t *tx) ReclaimOutbox(owner string) (int, error) {
	if owner == "" {
		return 0, core.Errorf(core.EINVALID, "postgres: reclaim outbox: no owner")
	}
	if _, err := t.exec(qInstanceAlive, instanceLease+owner, owner, instanceTTL.Milliseconds()); err != nil {
		return 0, fmt.Errorf("postgres: reclaim outbox: %w", err)
	}
	n, err := t.exec(qReclaim, owner, instanceLease)
	if err != nil {
		return 0, fmt.Errorf("postgres: reclaim outbox: %w", err)
	}
	if _, err := t.exec(qForgetInstances, instanceLease); err != nil {
		return 0, fmt.Errorf("postgres: reclaim outbox: %w", err)
	}
	return int(n), nil
}

const qMarkSent = `UPDATE outbox SET state = 'sent', sent_id = $1, sent_at = $2, lease_until = NULL,
	claimed_by = NULL WHERE id = $3 RETURNING ` + qToErased

// MarkSent records a delivery: state sent, SentID, SentAt, and ends the claim (ENOTFOUND).
func (t *tx) MarkSent(id int64, sentID string, at time.Time) error {
	return t.markDone(id, "mark sent", qMarkSent, sentID, ms(at), id)
}

const qRetryOutbox = `UPDATE outbox SET lease_until = NULL, claimed_by = NULL, attempts = attempts + 1, last_error = $1,
	due_at = $2 WHERE id = $3`

// RetryOutbox ends the claim, counts an attempt, stores the error and makes the message
// due again at due (ENOTFOUND).
func (t *tx) RetryOutbox(id int64, due time.Time, lastErr string) error {
	n, err := t.exec(qRetryOutbox, lastErr, msDue(due), id)
	if err != nil {
		return fmt.Errorf("postgres: retry outbox %d: %w", id, err)
	}
	return affected(n, "outbox message %d not found", id)
}

const qMarkDead = `UPDATE outbox SET state = 'dead', last_error = $1, dead_at = $2, lease_until = NULL,
	claimed_by = NULL WHERE id = $3 RETURNING ` + qToErased

// MarkDead moves a message to the dead state with the reason (ENOTFOUND).
func (t *tx) MarkDead(id int64, reason string, at time.Time) error {
	return t.markDone(id, "mark dead", qMarkDead, reason, msDue(at), id)
}

// A DM to an erased contact (the confirmation that /forget erased them, enqueued after
// the erase with their contact id) keeps their address only until it is delivered or dies:
// then its chat id becomes the contact's tombstone and its sent id goes, as on SQLite.
// qToErased, in MarkSent's and MarkDead's RETURNING clause, tells whether the message is
// one; qScrubSent scrubs it.
const (
	qToErased = `dm AND coalesce((SELECT erased_at IS NOT NULL FROM contacts WHERE id = outbox.contact_id), false)`

	qScrubSent = `UPDATE outbox SET sent_id = '',
	chat_id = (SELECT user_id FROM contacts WHERE id = outbox.contact_id) WHERE id = $1`
)

// markDone runs MarkSent's or MarkDead's update, then scrubs a message to an erased contact.
func (t *tx) markDone(id int64, what, q string, args ...any) error {
	if !t.write {
		return ErrReadOnly
	}
	var toErased bool
	if err := t.queryRow(q, args...).Scan(&toErased); err != nil {
		return notFound(err, what, "outbox message %d not found", id)
	}
	if !toErased {
		return nil
	}
	if _, err := t.exec(qScrubSent, id); err != nil {
		return fmt.Errorf("postgres: %s %d: scrub: %w", what, id, err)
	}
	return nil
}

const qRetarget = `UPDATE outbox SET platform = $1, chat_id = $2
	WHERE state = 'pending' AND platform = $3 AND chat_id = $4`

// RetargetOutbox moves every pending message for chat from to chat to; they keep their
// order (by id) among the messages already waiting for to.
func (t *tx) RetargetOutbox(from, to core.ChatRef) error {
	_, err := t.exec(qRetarget, string(to.Platform), to.ID, string(from.Platform), from.ID)
	if err != nil {
		return fmt.Errorf("postgres: retarget outbox %s to %s: %w", from, to, err)
	}
	return nil
}

const qNextOutboxAt = `SELECT min(ready_at) FROM outbox_heads`

// NextOutboxAt returns when the earliest chat head becomes claimable; ok is false when
// nothing is pending.
func (t *tx) NextOutboxAt() (time.Time, bool, error) {
	var v *int64
	if err := t.queryRow(qNextOutboxAt).Scan(&v); err != nil {
		return time.Time{}, false, fmt.Errorf("postgres: next outbox at: %w", err)
	}
	if v == nil {
		return time.Time{}, false, nil
	}
	return timeAt(*v), true, nil
}

// qOutboxStats counts on the pending index; the oldest pending message is the head with
// the lowest id, since ids grow with time.
const qOutboxStats = `SELECT (SELECT count(*) FROM outbox WHERE state = 'pending'),
	(SELECT created_at FROM outbox WHERE id = (SELECT min(head_id) FROM outbox_heads))`

// OutboxStats counts pending messages and returns the creation time of the oldest.
func (t *tx) OutboxStats() (pending int, oldest time.Time, err error) {
	if err := t.queryRow(qOutboxStats).Scan(&pending, timeOf(&oldest)); err != nil {
		return 0, time.Time{}, fmt.Errorf("postgres: outbox stats: %w", err)
	}
	return pending, oldest, nil
}
