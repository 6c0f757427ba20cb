//! A4 pages laid out top to bottom: wrapped Chinese paragraphs, label/value lines, numbered
//! lists, bordered tables and QR codes, flowing onto new pages; then drawn with krilla.
//!
//! Layout first records what goes where on which page ([`Op`]s, y growing downwards, in
//! points); [`Sheet::finish`] draws it, so the page count is known for the page numbers.

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;

use super::font::Fonts;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 72.0;
const MARGIN_TOP: f32 = 64.0;
const MARGIN_BOTTOM: f32 = 64.0;

/// Characters that never begin a line (禁则): they go down with the character before them.
const NO_LINE_START: &str = "，。、；：！？）》」』】〕”’,.;:!?)]%";
/// Characters that never end a line: they go down with the character after them.
const NO_LINE_END: &str = "（《「『【〔“‘([";

/// How a run of text looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    /// 0 black … 255 white.
    pub grey: u8,
}

impl Style {
    pub const fn new(size: f32) -> Style {
        Style {
            size,
            bold: false,
            grey: 0,
        }
    }

    pub const fn bold(self) -> Style {
        Style { bold: true, ..self }
    }

    pub const fn grey(self, grey: u8) -> Style {
        Style { grey, ..self }
    }

    /// Height of one line of this text.
    pub fn line_height(self) -> f32 {
        self.size * 1.65
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
}

/// One thing drawn on a page.
#[derive(Debug, Clone)]
pub enum Op {
    /// Text on one line; `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
    /// A frame: x, y, width, height.
    Frame { rect: [f32; 4], width: f32 },
    /// Black squares (the modules of a QR code): x, y, side.
    Squares(Vec<[f32; 3]>),
}

/// Pages being laid out, with the cursor where the next block begins.
pub struct Sheet<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Op>>,
    /// Top of the next block.
    pub y: f32,
    /// Drawn diagonally behind every page, light grey (样表).
    watermark: Option<String>,
}

impl<'f> Sheet<'f> {
    pub fn new(fonts: &'f Fonts) -> Sheet<'f> {
        Sheet {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
            watermark: None,
        }
    }

    pub fn with_watermark(mut self, text: &str) -> Sheet<'f> {
        self.watermark = Some(text.to_owned());
        self
    }

    pub const LEFT: f32 = MARGIN_X;
    pub const RIGHT: f32 = PAGE_WIDTH - MARGIN_X;
    pub const BOTTOM: f32 = PAGE_HEIGHT - MARGIN_BOTTOM;

    pub fn width() -> f32 {
        Self::RIGHT - Self::LEFT
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn pages(&self) -> &[Vec<Op>] {
        &self.pages
    }

    fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("a page").push(op);
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    /// Starts a new page unless `height` more fits on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > Self::BOTTOM && self.y > MARGIN_TOP {
            self.new_page();
        }
    }

    /// Height left on the current page.
    pub fn room(&self) -> f32 {
        Self::BOTTOM - self.y
    }

    pub fn gap(&mut self, height: f32) {
        self.y += height;
    }

    pub fn text_width(&self, text: &str, style: Style) -> f32 {
        self.fonts.face(style.bold).width(text, style.size)
    }

    /// Text on one line at `x`, within a line box whose top is `top`.
    pub fn text_at(&mut self, x: f32, top: f32, text: &str, style: Style) {
        // Ideographs fill the em from -0.12 to 0.88 around the baseline; centre that in the box.
        let baseline = top + (style.line_height() - style.size) / 2.0 + style.size * 0.88;
        self.push(Op::Text {
            x,
            y: baseline,
            style,
            text: text.to_owned(),
        });
    }

    /// `text` broken into lines no wider than `width`: anywhere between Chinese characters,
    /// between words of Latin text and digits, never before closing punctuation; explicit
    /// newlines are kept.
    pub fn wrap(&self, text: &str, width: f32, style: Style) -> Vec<String> {
        self.wrap_indented(text, width, width, style)
    }

    /// As [`wrap`](Self::wrap), the first line `first` wide.
    pub fn wrap_indented(&self, text: &str, first: f32, width: f32, style: Style) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let room = |lines: &Vec<String>| if lines.is_empty() { first } else { width };
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for token in tokens(paragraph) {
                let candidate = format!("{line}{token}");
                if line.is_empty() || self.text_width(candidate.trim_end(), style) <= room(&lines) {
                    line = candidate;
                } else if token.trim().is_empty() {
                    lines.push(std::mem::take(&mut line));
                    continue;
                } else {
                    // Closing punctuation takes the last character down with it.
                    // Opening punctuation never ends a line: it goes down too.
                    let mut carried = String::new();
                    if starts_with_closing(token)
                        && line.chars().count() > 1
                        && let Some(last) = line.pop()
                    {
                        carried.insert(0, last);
                    }
                    while line.chars().count() > 1 && line.ends_with(|c| NO_LINE_END.contains(c)) {
                        if let Some(last) = line.pop() {
                            carried.insert(0, last);
                        }
                    }
                    lines.push(line.trim_end().to_owned());
                    line = format!("{carried}{token}");
                }
                // A word wider than the line is cut where it must be.
                while self.text_width(&line, style) > room(&lines) && line.chars().count() > 1 {
                    let cut = self.fit(&line, room(&lines), style).max(1);
                    let at = line.char_indices().nth(cut).map_or(line.len(), |(i, _)| i);
                    let rest = line.split_off(at);
                    lines.push(std::mem::replace(&mut line, rest));
                }
            }
            lines.push(line.trim_end().to_owned());
        }
        lines
    }

    /// How many characters of `text` fit in `width`.
    fn fit(&self, text: &str, width: f32, style: Style) -> usize {
        let mut end = 0;
        for (n, (i, c)) in text.char_indices().enumerate() {
            if self.text_width(&text[..i + c.len_utf8()], style) > width {
                return n;
            }
            end = n + 1;
        }
        end
    }

    /// A paragraph across the text width: wrapped, aligned, its first line indented by
    /// `indent` points, flowing onto the next page line by line.
    pub fn paragraph(&mut self, text: &str, style: Style, align: Align, indent: f32) {
        self.block(Self::LEFT, Self::width(), text, style, align, indent);
    }

    /// A paragraph in a column from `left`, `width` wide.
    pub fn block(
        &mut self,
        left: f32,
        width: f32,
        text: &str,
        style: Style,
        align: Align,
        indent: f32,
    ) {
        let lines = self.wrap_indented(text, width - indent, width, style);
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(n, l)| (l, if n == 0 { indent } else { 0.0 }));
        for (line, offset) in lines {
            self.ensure(style.line_height());
            let w = self.text_width(&line, style);
            let x = match align {
                Align::Left => left + offset,
                Align::Centre => left + (width - w) / 2.0,
                Align::Right => left + width - w,
            };
            let top = self.y;
            self.text_at(x, top, &line, style);
            self.y += style.line_height();
        }
    }

    /// `label` then `value`, the value wrapping under itself (a hanging indent).
    pub fn labelled(&mut self, label: &str, label_width: f32, value: &str, style: Style) {
        let lines = self.wrap(value, Self::width() - label_width, style);
        for (n, line) in lines.iter().enumerate() {
            self.ensure(style.line_height());
            let top = self.y;
            if n == 0 {
                self.text_at(Self::LEFT, top, label, style.bold());
            }
            self.text_at(Self::LEFT + label_width, top, line, style);
            self.y += style.line_height();
        }
    }

    /// A numbered entry: `marker` ("1.") with the text hanging after it.
    pub fn numbered(&mut self, marker: &str, text: &str, style: Style, indent: f32) {
        let marker_width = style.size * 2.0;
        let left = Self::LEFT + indent + marker_width;
        let lines = self.wrap(text, Self::RIGHT - left, style);
        for (n, line) in lines.iter().enumerate() {
            self.ensure(style.line_height());
            let top = self.y;
            if n == 0 {
                self.text_at(Self::LEFT + indent, top, marker, style);
            }
            self.text_at(left, top, line, style);
            self.y += style.line_height();
        }
    }

    pub fn rule(&mut self, width: f32) {
        let y = self.y;
        self.push(Op::Line {
            from: (Self::LEFT, y),
            to: (Self::RIGHT, y),
            width,
        });
    }

    /// A bordered table of label and value cells, one row per entry, each at least its given
    /// height; values wrap in their cell; a row that does not fit starts the next page.
    pub fn table(&mut self, label_width: f32, rows: &[(&str, &str, f32)], style: Style) {
        let pad = 6.0;
        let value_width = Self::width() - label_width - 2.0 * pad;
        for (label, value, min_height) in rows {
            let label_lines = self.wrap(label, label_width - 2.0 * pad, style.bold());
            let value_lines = self.wrap(value, value_width, style);
            let lines = label_lines.len().max(value_lines.len()) as f32;
            let height = (lines * style.line_height() + 2.0 * pad).max(*min_height);
            self.ensure(height);
            let top = self.y;
            self.push(Op::Frame {
                rect: [Self::LEFT, top, label_width, height],
                width: 0.8,
            });
            self.push(Op::Frame {
                rect: [
                    Self::LEFT + label_width,
                    top,
                    Self::width() - label_width,
                    height,
                ],
                width: 0.8,
            });
            // Labels sit in the middle of their cell, values at its top.
            let label_top = top + (height - label_lines.len() as f32 * style.line_height()) / 2.0;
            for (n, line) in label_lines.iter().enumerate() {
                let w = self.text_width(line, style.bold());
                let x = Self::LEFT + (label_width - w) / 2.0;
                self.text_at(
                    x,
                    label_top + n as f32 * style.line_height(),
                    line,
                    style.bold(),
                );
            }
            for (n, line) in value_lines.iter().enumerate() {
                let x = Self::LEFT + label_width + pad;
                self.text_at(x, top + pad + n as f32 * style.line_height(), line, style);
            }
            self.y = top + height;
        }
    }

    /// A QR code of `data`, `side` points square including its quiet zone of four modules,
    /// its top-left corner at (`x`, `top`). Medium error correction survives a creased print.
    pub fn qr(&mut self, x: f32, top: f32, side: f32, data: &str) {
        let Ok(code) = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M) else {
            return;
        };
        let n = code.width();
        let module = side / (n + 8) as f32;
        let squares = code
            .to_colors()
            .into_iter()
            .enumerate()
            .filter(|(_, c)| *c == qrcode::Color::Dark)
            .map(|(i, _)| {
                let (col, row) = ((i % n) as f32, (i / n) as f32);
                [x + (col + 4.0) * module, top + (row + 4.0) * module, module]
            })
            .collect();
        self.push(Op::Squares(squares));
    }

    /// The PDF: every page drawn, numbered "第 n 页 共 m 页" when there is more than one.
    pub fn finish(self, title: &str) -> Result<Vec<u8>, krilla::error::KrillaError> {
        let fonts = self.fonts;
        let total = self.pages.len();
        let mut document = Document::new();
        document.set_metadata(
            Metadata::new()
                .title(title.to_owned())
                .language("zh-CN".to_owned())
                .creator("OneWindow 一窗通办".to_owned()),
        );
        for (n, ops) in self.pages.iter().enumerate() {
            let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4");
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            if let Some(mark) = &self.watermark {
                watermark(&mut surface, fonts, mark);
            }
            for op in ops {
                draw(&mut surface, fonts, op);
            }
            if total > 1 {
                let style = Style::new(9.0).grey(90);
                let text = format!("第 {} 页  共 {total} 页", n + 1);
                let w = fonts.regular.width(&text, style.size);
                let op = Op::Text {
                    x: (PAGE_WIDTH - w) / 2.0,
                    y: PAGE_HEIGHT - MARGIN_BOTTOM / 2.0,
                    style,
                    text,
                };
                draw(&mut surface, fonts, &op);
            }
            surface.finish();
            page.finish();
        }
        document.finish()
    }
}

/// Words of Latin text, numbers and dates stay whole; every other character stands alone; a closing
/// punctuation mark goes with what precedes it only when the line breaks (see `wrap`).
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut previous = ' ';
    for (i, c) in text.char_indices() {
        // A date or a count stays whole: 2026年12月1日, 7个.
        let unit = previous.is_ascii_digit() && "年月日号个".contains(c);
        previous = c;
        let word = c.is_ascii_alphanumeric() || "-_/.:@#?=&%+".contains(c) || unit;
        match (word, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, s) => {
                if let Some(s) = s {
                    out.push(&text[s..i]);
                    start = None;
                }
                out.push(&text[i..i + c.len_utf8()]);
            }
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn starts_with_closing(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| NO_LINE_START.contains(c))
}

fn fill(grey: u8) -> Fill {
    Fill {
        paint: luma::Color::new(grey).into(),
        ..Fill::default()
    }
}

fn draw(surface: &mut Surface<'_>, fonts: &Fonts, op: &Op) {
    match op {
        Op::Text { x, y, style, text } => {
            let face = fonts.face(style.bold);
            surface.set_stroke(None);
            surface.set_fill(Some(fill(style.grey)));
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                &face.glyphs(text),
                face.font.clone(),
                text,
                style.size,
                false,
            );
        }
        Op::Line { from, to, width } => {
            let mut path = PathBuilder::new();
            path.move_to(from.0, from.1);
            path.line_to(to.0, to.1);
            stroke(surface, path, *width);
        }
        Op::Frame { rect, width } => {
            let mut path = PathBuilder::new();
            if let Some(r) = Rect::from_xywh(rect[0], rect[1], rect[2], rect[3]) {
                path.push_rect(r);
            }
            stroke(surface, path, *width);
        }
        Op::Squares(squares) => {
            let mut path = PathBuilder::new();
            for [x, y, side] in squares {
                if let Some(r) = Rect::from_xywh(*x, *y, *side, *side) {
                    path.push_rect(r);
                }
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(0)));
                surface.draw_path(&path);
            }
        }
    }
}

fn stroke(surface: &mut Surface<'_>, path: PathBuilder, width: f32) {
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            width,
            ..Stroke::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

/// `text` large, light grey and diagonal across the middle of the page.
fn watermark(surface: &mut Surface<'_>, fonts: &Fonts, text: &str) {
    let style = Style::new(150.0).bold().grey(228);
    let w = fonts.bold.width(text, style.size);
    let (cx, cy) = (PAGE_WIDTH / 2.0, PAGE_HEIGHT / 2.0);
    surface.push_transform(&Transform::from_rotate_at(-40.0, cx, cy));
    let op = Op::Text {
        x: cx - w / 2.0,
        y: cy + style.size * 0.38,
        style,
        text: text.to_owned(),
    };
    draw(surface, fonts, &op);
    surface.pop();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Option<Fonts> {
        let f = Fonts::from_files(
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            None,
        );
        if f.is_err() {
            eprintln!("skipped: fonts-noto-cjk is not installed");
        }
        f.ok()
    }

    #[test]
    fn words_numbers_and_dates_stay_whole() {
        assert_eq!(
            tokens("于2026年12月1日前 see http://a.b/c?d=1。"),
            [
                "于",
                "2026年12月1日",
                "前",
                " ",
                "see",
                " ",
                "http://a.b/c?d=1",
                "。"
            ]
        );
    }

    #[test]
    fn long_text_wraps_within_the_margins_and_flows_onto_a_second_page() {
        let Some(fonts) = fonts() else { return };
        let mut sheet = Sheet::new(&fonts);
        let style = Style::new(12.0);
        let text = "申请材料不齐全或者不符合法定形式，应当当场或者在五日内一次告知申请人需要补正的全部内容。"
            .repeat(40);
        sheet.paragraph(&text, style, Align::Left, 24.0);
        sheet.numbered(
            "1.",
            &"营业执照副本复印件（加盖公章）ABCDEFGHIJKLMNOPQRSTUVWXYZ".repeat(30),
            style,
            24.0,
        );
        assert!(sheet.page_count() > 1, "{} page", sheet.page_count());
        for ops in sheet.pages() {
            for op in ops {
                if let Op::Text { x, y, style, text } = op {
                    let w = sheet.text_width(text, *style);
                    assert!(*x >= Sheet::LEFT - 0.01, "{text} starts at {x}");
                    assert!(x + w <= Sheet::RIGHT + 0.01, "{text} ends at {}", x + w);
                    assert!(*y > MARGIN_TOP && *y <= Sheet::BOTTOM, "{text} at y {y}");
                }
            }
        }
        // No line begins with closing punctuation or ends with opening punctuation.
        let list = "营业执照副本复印件（加盖公章）ABCDEFGHIJKLMNOPQRSTUVWXYZ".repeat(30);
        for line in sheet.wrap(&format!("{text}{list}"), Sheet::width(), style) {
            assert!(!starts_with_closing(&line), "{line}");
            assert!(!line.ends_with(|c| NO_LINE_END.contains(c)), "{line}");
        }
        let pdf = sheet.finish("test").unwrap();
        assert!(pdf.len() < 100 * 1024, "{} bytes", pdf.len());
    }
}
