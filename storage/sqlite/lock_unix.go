//go:build unix

package sqlite

import (
	"errors"
	"os"
	"syscall"
)

var errHeld = errors.New("held by another process")

// tryLock takes an exclusive flock on f without waiting; errHeld when another open file
// description holds it.
func tryLock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return errHeld
		}
		return err
	}
}
