package metrics

// Lease sets earshot_lease_held{name} to 1 while this process holds the named lease (a
// singleton adapter's, such as adapter:telegram while long polling) and to 0 while another
// replica does. It is safe for concurrent use.
func (m *Metrics) Lease(name string, held bool) {
	v := 0.0
	if held {
		v = 1
	}
	m.leases.WithLabelValues(name).Set(v)
}
