//! Printable documents (password cards now; transcripts, diplomas and reports later):
//! A4 PDF written with `pdf-writer` as compressed content streams, with DejaVu fonts
//! embedded (they cover Kyrgyz ө, ү, ң and Russian), text as glyph ids with a ToUnicode
//! map (so it can be searched and copied), and QR codes as vector forms drawn once and
//! placed many times.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
const MONO: &[u8] = include_bytes!("../fonts/DejaVuSansMono-Bold.ttf");

/// Millimetres to PDF points.
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

pub const A4_WIDTH_MM: f32 = 210.0;
pub const A4_HEIGHT_MM: f32 = 297.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
    /// Monospaced bold, for codes and passwords (no look-alike confusion).
    Mono,
}

struct FontState {
    resource: &'static [u8],
    base: &'static [u8],
    face: ttf_parser::Face<'static>,
    data: &'static [u8],
    /// Glyphs used, with a character each maps back to.
    used: BTreeMap<u16, char>,
}

impl FontState {
    fn new(resource: &'static [u8], base: &'static [u8], data: &'static [u8]) -> Self {
        let face = ttf_parser::Face::parse(data, 0).expect("embedded fonts parse");
        FontState { resource, base, face, data, used: BTreeMap::new() }
    }

    fn units(&self) -> f32 {
        f32::from(self.face.units_per_em())
    }

    /// Width of `text` at `size` points, in points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| self.face.glyph_index(c).and_then(|g| self.face.glyph_hor_advance(g)).map(u32::from).unwrap_or(0))
            .sum();
        units as f32 * size / self.units()
    }

    /// The glyph ids of `text` as a big-endian byte string, recording their use.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let gid = self.face.glyph_index(c).map(|g| g.0).unwrap_or(0);
            self.used.entry(gid).or_insert(c);
            out.extend_from_slice(&gid.to_be_bytes());
        }
        out
    }
}

/// A document being written, page by page.
pub struct Document {
    title: String,
    fonts: [FontState; 3],
    pages: Vec<Vec<u8>>,
    forms: Vec<(String, Vec<u8>, f32)>,
}

/// A reusable vector drawing (a QR code), placed by name.
#[derive(Debug, Clone)]
pub struct Form {
    name: String,
    /// Side of the drawing in its own units.
    units: f32,
}

/// One page being drawn; coordinates in millimetres from the top-left corner.
pub struct Page<'a> {
    doc: &'a mut Document,
    content: Content,
}

fn compress(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

impl Document {
    pub fn new(title: &str) -> Document {
        Document {
            title: title.to_owned(),
            fonts: [
                FontState::new(b"F1", b"DejaVuSans", REGULAR),
                FontState::new(b"F2", b"DejaVuSans-Bold", BOLD),
                FontState::new(b"F3", b"DejaVuSansMono-Bold", MONO),
            ],
            pages: Vec::new(),
            forms: Vec::new(),
        }
    }

    fn font(&mut self, f: Font) -> &mut FontState {
        &mut self.fonts[f as usize]
    }

    /// Width of `text` in `font` at `size` points, in millimetres.
    pub fn text_width(&self, font: Font, size: f32, text: &str) -> f32 {
        self.fonts[font as usize].width(text, size) * 25.4 / 72.0
    }

    /// A QR code of `data` (error correction M) as a reusable form.
    pub fn qr(&mut self, data: &str) -> Result<Form, qrcode::types::QrError> {
        let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)?;
        let w = code.width();
        let colors = code.to_colors();
        let mut c = Content::new();
        c.set_fill_rgb(0.0, 0.0, 0.0);
        for y in 0..w {
            let mut x = 0;
            while x < w {
                if colors[y * w + x] == qrcode::Color::Dark {
                    let start = x;
                    while x < w && colors[y * w + x] == qrcode::Color::Dark {
                        x += 1;
                    }
                    c.rect(start as f32, (w - 1 - y) as f32, (x - start) as f32, 1.0);
                } else {
                    x += 1;
                }
            }
        }
        c.fill_nonzero();
        let name = format!("Q{}", self.forms.len() + 1);
        self.forms.push((name.clone(), c.finish().into_vec(), w as f32));
        Ok(Form { name, units: w as f32 })
    }

    /// Starts a new A4 portrait page.
    pub fn page(&mut self) -> Page<'_> {
        Page { doc: self, content: Content::new() }
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The finished PDF.
    pub fn finish(mut self) -> Vec<u8> {
        let mut next = 1;
        let mut alloc = || {
            let r = Ref::new(next);
            next += 1;
            r
        };
        let catalog = alloc();
        let tree = alloc();
        let info = alloc();
        let page_ids: Vec<Ref> = (0..self.pages.len()).map(|_| alloc()).collect();
        let content_ids: Vec<Ref> = (0..self.pages.len()).map(|_| alloc()).collect();
        let form_ids: Vec<Ref> = (0..self.forms.len()).map(|_| alloc()).collect();
        let font_ids: Vec<[Ref; 6]> = (0..3).map(|_| [alloc(), alloc(), alloc(), alloc(), alloc(), alloc()]).collect();

        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
        pdf.document_info(info).title(pdf_writer::TextStr(&self.title)).producer(pdf_writer::TextStr("EDU24"));
        let media = Rect::new(0.0, 0.0, mm(A4_WIDTH_MM), mm(A4_HEIGHT_MM));
        for (i, id) in page_ids.iter().enumerate() {
            let mut page = pdf.page(*id);
            page.parent(tree).media_box(media).contents(content_ids[i]);
            let mut res = page.resources();
            let mut fonts = res.fonts();
            for (f, ids) in self.fonts.iter().zip(&font_ids) {
                if !f.used.is_empty() {
                    fonts.pair(Name(f.resource), ids[0]);
                }
            }
            fonts.finish();
            let mut xobjects = res.x_objects();
            for ((name, _, _), id) in self.forms.iter().zip(&form_ids) {
                xobjects.pair(Name(name.as_bytes()), *id);
            }
            xobjects.finish();
            res.finish();
            page.finish();
        }
        for (i, data) in self.pages.iter_mut().enumerate() {
            let packed = compress(data);
            pdf.stream(content_ids[i], &packed).filter(Filter::FlateDecode);
        }
        for ((_, data, units), id) in self.forms.iter().zip(&form_ids) {
            pdf.form_xobject(*id, data).bbox(Rect::new(0.0, 0.0, *units, *units));
        }
        for (f, ids) in self.fonts.iter().zip(&font_ids) {
            if f.used.is_empty() {
                continue;
            }
            let [type0, cid, descriptor, file, cmap, cid_map] = *ids;
            // Only the glyphs used are embedded (a page of text needs a few dozen of
            // DejaVu's 6,000): the text keeps the font's glyph ids as CIDs and the
            // CIDToGIDMap says where each went in the subset.
            let mut remapper = subsetter::GlyphRemapper::new();
            for gid in f.used.keys() {
                remapper.remap(*gid);
            }
            let subset = subsetter::subset(f.data, 0, &remapper);
            let (font_data, map): (std::borrow::Cow<'_, [u8]>, Vec<u8>) = match subset {
                Ok(data) => {
                    let last = f.used.keys().next_back().copied().unwrap_or(0);
                    let mut map = vec![0u8; (usize::from(last) + 1) * 2];
                    for gid in f.used.keys() {
                        let new = remapper.get(*gid).unwrap_or(0);
                        map[usize::from(*gid) * 2..usize::from(*gid) * 2 + 2].copy_from_slice(&new.to_be_bytes());
                    }
                    (data.into(), map)
                }
                // Never expected with the embedded fonts; the whole font still works.
                Err(e) => {
                    tracing::warn!(error = ?e, "font subsetting failed; embedding the whole font");
                    let last = f.face.number_of_glyphs();
                    let map = (0..last).flat_map(u16::to_be_bytes).collect();
                    (f.data.into(), map)
                }
            };
            pdf.stream(cid_map, &compress(&map)).filter(Filter::FlateDecode);
            let scale = 1000.0 / f.units();
            pdf.type0_font(type0)
                .base_font(Name(f.base))
                .encoding_predefined(Name(b"Identity-H"))
                .descendant_font(cid)
                .to_unicode(cmap);
            let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
            let mut cid_font = pdf.cid_font(cid);
            cid_font
                .subtype(CidFontType::Type2)
                .base_font(Name(f.base))
                .system_info(system)
                .font_descriptor(descriptor)
                .cid_to_gid_map_stream(cid_map);
            let mut widths = cid_font.widths();
            for gid in f.used.keys() {
                let adv = f.face.glyph_hor_advance(ttf_parser::GlyphId(*gid)).unwrap_or(0);
                widths.consecutive(*gid, [f32::from(adv) * scale]);
            }
            widths.finish();
            cid_font.finish();
            let bbox = f.face.global_bounding_box();
            pdf.font_descriptor(descriptor)
                .name(Name(f.base))
                .flags(FontFlags::NON_SYMBOLIC)
                .bbox(Rect::new(
                    f32::from(bbox.x_min) * scale,
                    f32::from(bbox.y_min) * scale,
                    f32::from(bbox.x_max) * scale,
                    f32::from(bbox.y_max) * scale,
                ))
                .italic_angle(0.0)
                .ascent(f32::from(f.face.ascender()) * scale)
                .descent(f32::from(f.face.descender()) * scale)
                .cap_height(f32::from(f.face.capital_height().unwrap_or(f.face.ascender())) * scale)
                .stem_v(80.0)
                .font_file2(file);
            let packed = compress(&font_data);
            pdf.stream(file, &packed).filter(Filter::FlateDecode).pair(Name(b"Length1"), font_data.len() as i32);
            let mut map = UnicodeCmap::new(Name(b"Custom"), system);
            for (gid, c) in &f.used {
                map.pair(*gid, *c);
            }
            pdf.stream(cmap, map.finish().as_slice());
        }
        pdf.finish()
    }
}

impl Page<'_> {
    fn y(v: f32) -> f32 {
        mm(A4_HEIGHT_MM - v)
    }

    /// Text whose baseline starts at (`x`, `y`) mm from the top-left corner.
    pub fn text(&mut self, font: Font, size: f32, x: f32, y: f32, text: &str) -> &mut Self {
        let resource = self.doc.font(font).resource;
        let encoded = self.doc.font(font).encode(text);
        self.content
            .begin_text()
            .set_font(Name(resource), size)
            .next_line(mm(x), Self::y(y))
            .show(Str(&encoded))
            .end_text();
        self
    }

    /// Text shrunk (down to 60 %) so that it fits `max_width` mm, then cut with "…".
    /// Linear in the length of the text.
    pub fn text_fit(&mut self, font: Font, size: f32, x: f32, y: f32, max_width: f32, text: &str) -> &mut Self {
        let mut s = size;
        while s > size * 0.6 && self.doc.text_width(font, s, text) > max_width {
            s -= 0.25;
        }
        if self.doc.text_width(font, s, text) <= max_width {
            return self.text(font, s, x, y, text);
        }
        let room = max_width - self.doc.text_width(font, s, "…");
        let mut used = 0.0;
        let mut cut = String::with_capacity(text.len());
        let mut buf = [0u8; 4];
        for c in text.chars() {
            let w = self.doc.text_width(font, s, c.encode_utf8(&mut buf));
            if used + w > room {
                break;
            }
            used += w;
            cut.push(c);
        }
        let cut = format!("{}…", cut.trim_end());
        self.text(font, s, x, y, &cut)
    }

    pub fn fill_rgb(&mut self, r: f32, g: f32, b: f32) -> &mut Self {
        self.content.set_fill_rgb(r, g, b);
        self
    }

    /// A filled rectangle; (`x`, `y`) is its top-left corner in mm.
    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32) -> &mut Self {
        self.content.rect(mm(x), Self::y(y + h), mm(w), mm(h)).fill_nonzero();
        self
    }

    /// A rectangle's outline, dashed as a cutting guide when `dashed`.
    pub fn outline(&mut self, x: f32, y: f32, w: f32, h: f32, dashed: bool) -> &mut Self {
        self.content.save_state().set_line_width(0.5).set_stroke_rgb(0.55, 0.55, 0.55);
        if dashed {
            self.content.set_dash_pattern([3.0, 3.0], 0.0);
        }
        self.content.rect(mm(x), Self::y(y + h), mm(w), mm(h)).stroke().restore_state();
        self
    }

    /// A straight line from (`x1`, `y1`) to (`x2`, `y2`) mm, `width` points wide, in grey
    /// `grey` (0 black … 1 white).
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, grey: f32) -> &mut Self {
        self.content
            .save_state()
            .set_line_width(width)
            .set_stroke_rgb(grey, grey, grey)
            .move_to(mm(x1), Self::y(y1))
            .line_to(mm(x2), Self::y(y2))
            .stroke()
            .restore_state();
        self
    }

    /// Places a form (a QR code) as a square of `size` mm with its top-left at (`x`, `y`).
    pub fn form(&mut self, form: &Form, x: f32, y: f32, size: f32) -> &mut Self {
        let k = mm(size) / form.units;
        self.content
            .save_state()
            .transform([k, 0.0, 0.0, k, mm(x), Self::y(y + size)])
            .x_object(Name(form.name.as_bytes()))
            .restore_state();
        self
    }

    /// Ends the page.
    pub fn finish(self) {
        let data = self.content.finish().into_vec();
        self.doc.pages.push(data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_with_text_in_three_scripts_and_a_qr_code_is_a_pdf() {
        let mut doc = Document::new("Test");
        let qr = doc.qr("https://edu24.example/ky/login").unwrap();
        let mut page = doc.page();
        page.text(Font::Bold, 14.0, 20.0, 30.0, "Өзгөчө үй-бүлө, ң — Сәлем")
            .text(Font::Regular, 10.0, 20.0, 40.0, "Пароль / Password")
            .text(Font::Mono, 12.0, 20.0, 50.0, "k7pm-4xtq-9hcw-2rdn")
            .outline(10.0, 10.0, 90.0, 60.0, true)
            .form(&qr, 70.0, 20.0, 25.0);
        page.finish();
        doc.page().finish();
        assert_eq!(doc.page_count(), 2);
        let bytes = doc.finish();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.ends_with(b"%%EOF") || bytes.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/Identity-H") && text.contains("/FontFile2") && text.contains("/ToUnicode"));
        assert!(text.contains("/Count 2"));
    }

    #[test]
    fn long_text_is_cut_to_fit() {
        let mut doc = Document::new("t");
        let long = "Жусуп Баласагын атындагы Кыргыз улуттук университети ".repeat(200);
        let mut page = doc.page();
        page.text_fit(Font::Regular, 10.0, 10.0, 10.0, 50.0, &long);
        page.finish();
        assert!(doc.finish().starts_with(b"%PDF-"));
    }

    #[test]
    fn text_is_measured_for_fitting() {
        let doc = Document::new("t");
        let narrow = doc.text_width(Font::Regular, 10.0, "iii");
        let wide = doc.text_width(Font::Regular, 10.0, "WWW");
        assert!(wide > narrow * 2.0, "{wide} vs {narrow}");
        assert!((doc.text_width(Font::Mono, 10.0, "ab") - doc.text_width(Font::Mono, 10.0, "WW")).abs() < 0.01);
    }
}
