package main

import "strings"

// internalPrefixes are the package prefixes errors carry inside the program ("core: touch:
// …", "storage: open …") so that a log line says where a failure came from. An operator
// reading the command line's one-line error does not need them.
var internalPrefixes = map[string]bool{"core": true, "storage": true, "config": true, "httpapi": true, "metrics": true}

// cliMessage formats err for standard error: on one line, without internal package
// prefixes, and without a segment repeated by two layers of wrapping ("telegram: telegram:
// no token" reads "telegram: no token"). The error itself keeps its %w chain; only its text
// is shortened here, at the edge of main.
func cliMessage(err error) string {
	segs := strings.Split(oneLine(err), ": ")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		if i < len(segs)-1 && internalPrefixes[s] {
			continue
		}
		if len(out) > 0 && out[len(out)-1] == s && i < len(segs)-1 {
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return oneLine(err)
	}
	return strings.Join(out, ": ")
}
