package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/color"
	"io"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PixelRatio is how many image pixels a PNG has per point: 2, like a phone's screen, so a
// 390-point chart is 780 pixels wide and its text stays sharp when the app scales it.
const PixelRatio = 2

// PNG draws the charts one under the other, width points wide (PhoneWidth when 0), each
// panel panelHeight tall. With no chart it draws one empty panel saying empty.
func PNG(charts []Chart, width float64, empty string) (out []byte, err error) {
	defer recoverInto(&err)
	if width <= 0 {
		width = PhoneWidth
	}
	if len(charts) == 0 {
		charts = []Chart{{Empty: empty}}
	}
	plots := make([][]*plot.Plot, len(charts))
	for i, c := range charts {
		p, err := build(c)
		if err != nil {
			return nil, err
		}
		plots[i] = []*plot.Plot{p}
	}
	w, h := vg.Points(width), vg.Points(float64(panelHeight*len(charts)))
	canvas := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(72*PixelRatio), vgimg.UseBackgroundColor(whiteOpaque))
	dc := draw.New(canvas)
	tiles := draw.Tiles{Rows: len(charts), Cols: 1, PadTop: 4, PadBottom: 4, PadLeft: 4, PadRight: 8, PadY: 10}
	for i, row := range plot.Align(plots, tiles, dc) {
		plots[i][0].Draw(row[0])
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG draws one chart width points wide (PhoneWidth when 0) as an <svg> element fit to go
// inline in an HTML page: no XML prolog or comments, a viewBox and no fixed size (so it
// scales with its container), colours and fonts as presentation attributes rather than
// style attributes (a page whose Content-Security-Policy forbids inline styles still shows
// them), role="img" and the label given, every text escaped.
func SVG(c Chart, width float64, label string) (out []byte, err error) {
	defer recoverInto(&err)
	if width <= 0 {
		width = PhoneWidth
	}
	p, err := build(c)
	if err != nil {
		return nil, err
	}
	canvas := vgsvg.New(vg.Points(width), vg.Points(panelHeight))
	p.Draw(draw.New(canvas))
	var raw bytes.Buffer
	if _, err := canvas.WriteTo(&raw); err != nil {
		return nil, fmt.Errorf("chart: write svg: %w", err)
	}
	var buf bytes.Buffer
	if err := inlineSVG(&buf, &raw, label); err != nil {
		return nil, fmt.Errorf("chart: clean svg: %w", err)
	}
	return buf.Bytes(), nil
}

// inlineSVG copies an SVG document from r to w as an inline element (see SVG). It re-encodes
// every token, so nothing in the output is unescaped whatever the input held.
func inlineSVG(w *bytes.Buffer, r io.Reader, label string) error {
	dec := xml.NewDecoder(r)
	depth := 0
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := qname(t.Name)
			w.WriteString("<" + name)
			attrs := t.Attr
			if depth == 0 {
				attrs = rootAttrs(attrs, label)
			}
			for _, a := range attrs {
				if a.Name.Local == "style" && a.Name.Space == "" {
					writeStyleAttrs(w, a.Value)
					continue
				}
				writeAttr(w, qname(a.Name), a.Value)
			}
			w.WriteString(">")
			if depth == 0 && label != "" {
				w.WriteString("<title>")
				xml.EscapeText(w, []byte(label))
				w.WriteString("</title>")
			}
			depth++
		case xml.EndElement:
			depth--
			w.WriteString("</" + qname(t.Name) + ">")
		case xml.CharData:
			if depth > 0 {
				if strings.TrimSpace(string(t)) == "" {
					continue // the generator's indentation
				}
				xml.EscapeText(w, t)
			}
		}
		// Comments, the prolog and directives are dropped.
	}
}

// rootAttrs keeps the root's viewBox and namespaces, drops its fixed size and adds the
// accessible role.
func rootAttrs(in []xml.Attr, label string) []xml.Attr {
	var out []xml.Attr
	for _, a := range in {
		if a.Name.Space == "" && (a.Name.Local == "width" || a.Name.Local == "height") {
			continue
		}
		if a.Name.Space == "xmlns" && a.Name.Local == "xlink" {
			continue // nothing of ours links
		}
		out = append(out, a)
	}
	out = append(out, xml.Attr{Name: xml.Name{Local: "role"}, Value: "img"})
	if label != "" {
		out = append(out, xml.Attr{Name: xml.Name{Local: "aria-label"}, Value: label})
	}
	return out
}

// writeStyleAttrs turns "fill:#000;stroke-width:1px" into presentation attributes.
func writeStyleAttrs(w *bytes.Buffer, style string) {
	for decl := range strings.SplitSeq(style, ";") {
		k, v, ok := strings.Cut(decl, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || !presentation[k] {
			continue
		}
		writeAttr(w, k, v)
	}
}

// presentation are the CSS properties gonum writes that SVG also takes as attributes.
var presentation = map[string]bool{
	"fill": true, "fill-opacity": true, "fill-rule": true,
	"stroke": true, "stroke-width": true, "stroke-opacity": true, "stroke-dasharray": true,
	"stroke-dashoffset": true, "stroke-linecap": true, "stroke-linejoin": true,
	"stroke-miterlimit": true, "opacity": true,
	"font-family": true, "font-size": true, "font-style": true, "font-weight": true,
	"font-variant": true, "text-anchor": true,
}

func writeAttr(w *bytes.Buffer, name, value string) {
	w.WriteString(" " + name + `="`)
	xml.EscapeText(w, []byte(value)) // escapes quotes too
	w.WriteString(`"`)
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// recoverInto turns a panic in the plotting library into err: a chart that cannot be drawn
// must not take a digest or a page down with it.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("chart: drawing failed: %v", r)
	}
}

var whiteOpaque = color.White
