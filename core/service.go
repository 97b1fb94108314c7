package core

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	mrand "math/rand/v2"
	"sync"
	"time"
)

// Options are what NewService needs.
type Options struct {
	Settings   Settings
	Store      Store
	Clock      Clock       // defaults to SystemClock
	Messengers []Messenger // one per enabled platform
	Logger     *slog.Logger
	// Random returns a number in [0, n) for backoff jitter; tests fix it.
	Random func(n int64) int64
	// Observer is told about events, deliveries and due work, for metrics; optional.
	Observer Observer
	// Workers is how many deliveries run at once (to different chats); default 32. The demo
	// uses 1 so its transcript is always in the same order.
	Workers int
	// Instance names this process's claims on outbox messages (see OutboxStore); it must be
	// unique per process start. Default: random.
	Instance string
	// Lease is no longer used: a claim lasts as long as the instance that holds it, however
	// long pacing and the platform take. Kept so that older callers compile.
	//
	// Deprecated: claims belong to Instance.
	Lease time.Duration
	// Charts draws the digest's chart; nil sends the digest as text only.
	Charts ChartRenderer
	// Texts renders every sentence in its reader's language (bots/i18n); required.
	Texts Texts
}

// Service is earshot's core: it handles inbound events, records touchpoints, runs due work
// and delivers the outbox (through its delivery engine, delivery.go).
type Service struct {
	set        Settings
	store      Store
	clock      Clock
	log        *slog.Logger
	messengers map[Platform]Messenger
	random     func(int64) int64
	obs        Observer
	delivery   *deliverer
	charts     ChartRenderer
	texts      Texts

	wakeJobs chan struct{}

	mu        sync.Mutex
	locations map[string]*time.Location
}

var _ Handler = (*Service)(nil)

// NewService checks the options and returns a service.
func NewService(o Options) (*Service, error) {
	if o.Store == nil {
		return nil, errors.New("core: no store")
	}
	if o.Texts == nil {
		return nil, errors.New("core: no texts: pass the catalogs (bots/i18n) as Options.Texts")
	}
	if o.Settings.Business.Location == nil {
		o.Settings.Business.Location = time.UTC
	}
	if o.Settings.Business.Name == "" {
		o.Settings.Business.Name = "earshot"
	}
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Observer == nil {
		o.Observer = nopObserver{}
	}
	if o.Workers <= 0 {
		o.Workers = 32
	}
	if o.Instance == "" {
		o.Instance = "i-" + rand.Text()
	}
	paces := map[Platform]Pace{}
	for p, info := range o.Settings.Platforms {
		if info.Pace != (Pace{}) {
			paces[p] = info.Pace
		}
	}
	if o.Random == nil {
		o.Random = defaultRandom()
	}
	s := &Service{
		set:        o.Settings,
		store:      o.Store,
		clock:      o.Clock,
		log:        o.Logger,
		random:     o.Random,
		obs:        o.Observer,
		charts:     o.Charts,
		texts:      o.Texts,
		messengers: map[Platform]Messenger{},
		wakeJobs:   make(chan struct{}, 1),
		locations:  map[string]*time.Location{},
	}
	s.delivery = &deliverer{
		store:       o.Store,
		clock:       o.Clock,
		log:         o.Logger,
		obs:         o.Observer,
		messengers:  s.messengers,
		random:      o.Random,
		instance:    o.Instance,
		senders:     o.Workers,
		pacer:       newPacer(paces),
		wake:        make(chan struct{}, 1),
		unreachable: s.markUnreachable,
		holds:       map[Platform]time.Time{},
		authFails:   map[Platform]int{},
		circuit:     map[Platform]string{},
	}
	for _, m := range o.Messengers {
		if m == nil {
			continue
		}
		if _, dup := s.messengers[m.Platform()]; dup {
			return nil, errors.New("core: two messengers for " + string(m.Platform()))
		}
		s.messengers[m.Platform()] = m
	}
	return s, nil
}

// Settings returns the settings the service runs with.
func (s *Service) Settings() Settings { return s.set }

// Now returns the service clock's time.
func (s *Service) Now() time.Time { return s.clock.Now() }

// update runs fn in a write transaction and wakes the loops afterwards, since fn may have
// added due work or outbox messages.
func (s *Service) update(ctx context.Context, fn func(Tx) error) error {
	err := s.store.Update(ctx, fn)
	if err == nil {
		s.Wake()
	}
	return err
}

// Wake tells the due-work loop and the deliverer to look again now.
func (s *Service) Wake() {
	select {
	case s.wakeJobs <- struct{}{}:
	default:
	}
	s.delivery.Wake()
}

// location returns the named zone, or the business's when name is empty or unknown.
func (s *Service) location(name string) *time.Location {
	if name == "" {
		return s.set.Business.Location
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if loc, ok := s.locations[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = s.set.Business.Location
	}
	s.locations[name] = loc
	return loc
}

func defaultRandom() func(int64) int64 {
	return func(n int64) int64 {
		if n <= 0 {
			return 0
		}
		return mrand.Int64N(n)
	}
}
