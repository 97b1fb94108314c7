package config

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem with the configuration: the path of the key ("surveys[0].delay")
// and what is wrong with it. Load and Validate return every problem joined with
// errors.Join, one per line as "path: reason"; errors.As finds the first, and
// Problems lists them all.
type Error struct {
	Path   string
	Reason string
}

func (e *Error) Error() string { return e.Path + ": " + e.Reason }

// Problems returns every *Error in err (a joined error from Load or Validate).
func Problems(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		if e, ok := err.(*Error); ok {
			out = append(out, e)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}

// Load reads the YAML file at path over Default(), expands ${VAR} in its values, decodes it
// strictly and validates it. A file problem ("config: read x.yaml: …", a YAML syntax error)
// comes alone; decoding problems come all at once, or else validation problems all at once.
// A relative storage.path is taken from the file's directory, not the working directory,
// so every command finds the same database wherever it is run from.
//
// Loading is bounded: only a regular file of at most MaxFileSize bytes is read (so a FIFO
// or /dev/zero is refused before anything is read), and decoding stops at maxNodes nodes
// and maxAliases alias expansions (so a YAML alias or merge-key bomb fails at once).
func Load(path string) (*Config, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	c, err := Parse(data, os.LookupEnv)
	if err != nil {
		if len(Problems(err)) == 0 {
			return nil, fmt.Errorf("config: %s: %w", path, err)
		}
		return nil, err
	}
	c.resolvePaths(filepath.Dir(path))
	return c, nil
}

// MaxFileSize is the largest configuration file Load reads: a real one is a few KiB.
const MaxFileSize = 1 << 20

// readBounded reads a regular file of at most MaxFileSize bytes.
func readBounded(path string) ([]byte, error) {
	fi, err := os.Stat(path) // before opening: opening a FIFO would wait for a writer
	if err != nil {
		return nil, fmt.Errorf("config: read %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("config: read %s: not a regular file (%s)", path, fi.Mode().Type())
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("config: read %s: %d bytes is more than a configuration file needs (at most %d)", path, fi.Size(), MaxFileSize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: read %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("config: read %s: more than %d bytes", path, MaxFileSize)
	}
	return data, nil
}

// resolvePaths makes a relative storage.path relative to dir (the configuration file's).
func (c *Config) resolvePaths(dir string) {
	if p := c.Storage.Path; p != "" && !filepath.IsAbs(p) {
		if abs, err := filepath.Abs(filepath.Join(dir, p)); err == nil {
			c.Storage.Path = abs
		}
	}
}

// Parse is Load on data already read, with lookup standing in for the environment. A
// relative storage.path stays as written (relative to the working directory).
func Parse(data []byte, lookup func(string) (string, bool)) (*Config, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%d bytes is more than a configuration file needs (at most %d)", len(data), MaxFileSize)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	c := Default()
	if doc.Kind != 0 {
		d := decoder{lookup: lookup, written: map[string]string{}}
		d.value(&doc, reflect.ValueOf(c).Elem(), "")
		if len(d.errs) > 0 {
			return nil, errors.Join(d.errs...)
		}
		c.written = d.written
	}
	c.fillEmpty()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// decoder walks a yaml.Node tree into a Go value, collecting one *Error per problem.
type decoder struct {
	lookup  func(string) (string, bool)
	errs    []error
	aliases int
	nodes   int
	// written maps each value that ${VAR} expansion changed to the form written in the
	// file, so that validation errors show "${VAR}", never what the variable holds.
	written map[string]string
}

const (
	maxAliases = 1000
	// maxNodes bounds the expanded document: an alias counts its whole subtree each time
	// it is used, so a file of a few KiB cannot decode into millions of values. A real
	// configuration has a few hundred.
	maxNodes = 100_000
)

// alias counts one alias expansion and reports false, once with an error, past the limit.
func (d *decoder) alias(path string) bool {
	d.aliases++
	if d.aliases == maxAliases+1 {
		d.fail(path, "too many aliases (at most %d expansions)", maxAliases)
	}
	return d.aliases <= maxAliases
}

func (d *decoder) fail(path, format string, args ...any) {
	if path == "" {
		path = "(top level)"
	}
	d.errs = append(d.errs, &Error{Path: path, Reason: fmt.Sprintf(format, args...)})
}

// value decodes n into v. Null leaves a struct as it is and zeroes anything else.
func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	if d.nodes++; d.nodes > maxNodes {
		if d.nodes == maxNodes+1 {
			d.fail(path, "the document expands to more than %d values (aliases included): too large for a configuration", maxNodes)
		}
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 1 {
			d.value(n.Content[0], v, path)
		}
		return
	case yaml.AliasNode:
		if !d.alias(path) {
			return
		}
		d.value(n.Alias, v, path)
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		if v.Kind() != reflect.Struct {
			v.SetZero()
		}
		return
	}
	if h, ok := v.Addr().Interface().(nodeDecoder); ok {
		h.decodeNode(d, n, path)
		return
	}
	if v.Type() == reflect.TypeFor[Duration]() {
		d.duration(n, v, path)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.mapping(n, v, path)
	case reflect.Slice:
		d.sequence(n, v, path)
	case reflect.String, reflect.Int, reflect.Float64, reflect.Bool:
		d.scalar(n, v, path)
	default:
		d.fail(path, "cannot decode into %s", v.Type())
	}
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(path, "expected a mapping (key: value), not %s", describe(n))
		return
	}
	keys := map[string]bool{}
	d.fields(n, v, path, keys)
	if h, ok := v.Addr().Interface().(interface{ decoded(map[string]bool) }); ok {
		h.decoded(keys)
	}
}

// fields decodes the keys of mapping n into struct v and adds them to keys. Merge keys
// (<<: *defaults) are applied first, so the mapping's own keys win wherever they stand.
func (d *decoder) fields(n *yaml.Node, v reflect.Value, path string, keys map[string]bool) {
	index := map[string]int{}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); f.IsExported() && tag != "" {
			index[tag] = i
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Tag == "!!merge" {
			d.merge(n.Content[i+1], v, path, keys)
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Tag == "!!merge" {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(path, "a key must be a plain word, not %s", describe(k))
			continue
		}
		key := k.Value
		sub := join(path, key)
		if seen[key] {
			d.fail(sub, "duplicate key")
			continue
		}
		seen[key], keys[key] = true, true
		idx, ok := index[key]
		if !ok {
			d.fail(sub, "unknown key%s", suggest(key, index))
			continue
		}
		d.value(val, v.Field(idx), sub)
	}
}

// merge applies the mapping (or list of mappings) of a YAML merge key to struct v.
func (d *decoder) merge(n *yaml.Node, v reflect.Value, path string, keys map[string]bool) {
	for n.Kind == yaml.AliasNode {
		if !d.alias(path) {
			return
		}
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		d.fields(n, v, path, keys)
	case yaml.SequenceNode:
		for _, m := range n.Content {
			d.merge(m, v, path, keys)
		}
	default:
		d.fail(path, "<< must merge a mapping, not %s", describe(n))
	}
}

func (d *decoder) sequence(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.fail(path, "expected a list, not %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		e := s.Index(i)
		if h, ok := e.Addr().Interface().(interface{ setDefaults() }); ok {
			h.setDefaults()
		}
		d.value(item, e, fmt.Sprintf("%s[%d]", path, i))
	}
	v.Set(s)
}

func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(path, "expected a single value, not %s", describe(n))
		return
	}
	s, shown := d.expand(n.Value)
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int:
		i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
		if err != nil {
			d.fail(path, "%s is not a whole number", shown)
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			d.fail(path, "%s is not a number", shown)
			return
		}
		v.SetFloat(f)
	case reflect.Bool:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "yes", "on":
			v.SetBool(true)
		case "false", "no", "off":
			v.SetBool(false)
		default:
			d.fail(path, "%s is not true or false", shown)
		}
	}
}

func (d *decoder) duration(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(path, "expected a duration (like 90s, 24h or 7d), not %s", describe(n))
		return
	}
	s, shown := d.expand(n.Value)
	t, err := parseDuration(strings.TrimSpace(s))
	if err != nil {
		d.fail(path, "%s %v", shown, err)
		return
	}
	v.SetInt(int64(t))
}

// expand replaces each ${VAR} in s with the variable's value ("" when unset) and returns
// the result and how to show the value in an error: quoted as written, so that an error
// never reveals what a variable (perhaps a secret) holds.
func (d *decoder) expand(s string) (string, string) {
	out := expandEnv(s, d.lookup)
	if out != s && d.written != nil {
		d.written[out] = s
	}
	return out, strconv.Quote(s)
}

func expandEnv(s string, lookup func(string) (string, bool)) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 || !isEnvName(s[i+2:i+end]) {
			b.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		val, _ := lookup(s[i+2 : i+end])
		b.WriteString(val)
		s = s[i+end+1:]
	}
	b.WriteString(s)
	return b.String()
}

func isEnvName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return strconv.Quote(n.Value)
}

// suggest returns ` (did you mean "x"?)` for the known key closest to key, if close.
func suggest(key string, known map[string]int) string {
	best, bestD := "", 3
	for k := range known {
		if dist := editDistance(key, k); dist < bestD || dist == bestD && k < best {
			best, bestD = k, dist
		}
	}
	if best == "" || bestD > 2 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
