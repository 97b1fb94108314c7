package config

import "go.yaml.in/yaml/v3"

// nodeDecoder is a value that reads its own YAML: a text given as a string or as a map by
// language, the business's messages. The decoder hands it the node (aliases resolved).
type nodeDecoder interface {
	decodeNode(d *decoder, n *yaml.Node, path string)
}

// stringMap walks a mapping whose keys are free words (languages, message keys), calling
// each with the key, its value (aliases resolved) and the value's path. A key that is not
// a plain word, or is written twice, is a problem.
func (d *decoder) stringMap(n *yaml.Node, path string, each func(key string, v *yaml.Node, sub string)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			d.fail(path, "a key must be a plain word, not %s", describe(k))
			continue
		}
		sub := join(path, k.Value)
		if seen[k.Value] {
			d.fail(sub, "duplicate key")
			continue
		}
		seen[k.Value] = true
		for v.Kind == yaml.AliasNode {
			if !d.alias(sub) {
				return
			}
			v = v.Alias
		}
		if d.nodes++; d.nodes > maxNodes {
			if d.nodes == maxNodes+1 {
				d.fail(sub, "the document expands to more than %d values (aliases included): too large for a configuration", maxNodes)
			}
			return
		}
		each(k.Value, v, sub)
	}
}
