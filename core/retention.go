package core

import (
	"strconv"
	"time"
)

// retireBatch bounds how many customers one prune transaction erases, so retention never
// holds the writer long; a full batch queues the next one at once.
const retireBatch = 200

// retire erases, as /forget does, customers with no activity within the retention period:
// no message from them and no touchpoint for them. Team members are kept: their accounts
// are in the configuration anyway. Scores stay, anonymous. It counts the erasures in the
// week's digest and says whether the batch was full.
func (s *Service) retire(tx Tx, now time.Time) (full bool, err error) {
	if s.set.RetainCustomers <= 0 {
		return false, nil
	}
	ids, err := tx.InactiveContacts(now.Add(-s.set.RetainCustomers), retireBatch)
	if err != nil {
		return false, err
	}
	n := 0
	for _, id := range ids {
		ct, err := tx.Contact(id)
		if err != nil {
			return false, err
		}
		if _, member := s.set.Team.MemberFor(ct.Ref); member {
			continue
		}
		if err := s.erase(tx, ct, now); err != nil {
			return false, err
		}
		n++
	}
	if n > 0 {
		if err := s.countRetired(tx, WeekOf(now, s.set.Business.Location), n); err != nil {
			return false, err
		}
	}
	return len(ids) == retireBatch, nil
}

func retiredKey(w Week) string { return "retention.erased:" + w.String() }

func (s *Service) countRetired(tx Tx, w Week, n int) error {
	prev, err := s.retired(tx, w)
	if err != nil {
		return err
	}
	return tx.SetState(retiredKey(w), strconv.Itoa(prev+n))
}

// retired returns how many customers retention erased in the week.
func (s *Service) retired(tx Tx, w Week) (int, error) {
	raw, err := tx.State(retiredKey(w))
	if IsNotFound(err) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	return strconv.Atoi(raw)
}
