//! Uploaded material files (材料上传): what a file is, judged from its bytes, and the limits a
//! file must keep. Who may upload which material when is decided with every other command, in
//! [`super::transition::apply`] (`Command::UploadMaterial`).

use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};

use super::state::Case;
use crate::catalogue::{ItemDefinition, Material};

/// The largest file one material takes: 10 MiB. A scanned A4 page at 300 dpi is 0.5–1.5 MB as
/// JPEG or PDF, so a ten-page certificate or contract fits; a phone photo (3–6 MB) fits whole.
/// It also bounds what a request holds in memory and what one row of the database carries
/// (docs/adr/0008).
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Files one case takes, and their bytes together: far above what an item's materials need
/// (twenty materials of a few pages each), and a bound on what one applicant can store.
pub const MAX_CASE_FILES: u32 = 60;
pub const MAX_CASE_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// Unsent applications one applicant may hold at once: more than anyone prepares, few enough
/// that drafts cannot be used to store without bound.
pub const MAX_OPEN_DRAFTS: u64 = 30;

/// The longest file name kept, in characters; longer names are cut, keeping the extension.
pub const MAX_NAME_CHARS: usize = 120;

/// The item's required materials that have no file in the case yet, in the item's order: what
/// an online application must still upload, or ask to bring later (容缺), before it is sent.
pub fn not_uploaded<'a>(case: &Case, item: &'a ItemDefinition) -> Vec<&'a Material> {
    item.materials
        .iter()
        .filter(|m| m.required && !case.provided.contains(&m.code))
        .collect()
}

/// The kinds of file a material may be: what scanners and phones produce and every browser shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub const ALL: [FileKind; 3] = [FileKind::Pdf, FileKind::Jpeg, FileKind::Png];

    /// The kind from a file's leading bytes (its signature), never from the name or the type the
    /// sender declared: a renamed executable is not a PDF.
    pub fn sniff(head: &[u8]) -> Option<FileKind> {
        if head.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileKind::Png)
        } else {
            None
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    pub fn parse_media_type(s: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.media_type() == s)
    }
}

/// The facts of one uploaded file the rules judge, computed from its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadedFile {
    /// The sender's file name, without any path, control characters or excess length.
    pub name: String,
    pub size: u64,
    /// None when the bytes are none of the accepted kinds.
    pub kind: Option<FileKind>,
    /// SM3 of the bytes, hex: the file's address in storage and its fingerprint in the event log.
    pub digest: String,
}

impl UploadedFile {
    pub fn inspect(name: &str, bytes: &[u8]) -> UploadedFile {
        UploadedFile {
            name: clean_name(name),
            size: bytes.len() as u64,
            kind: FileKind::sniff(bytes),
            digest: digest(bytes),
        }
    }
}

/// SM3 of `bytes` as lowercase hex.
pub fn digest(bytes: &[u8]) -> String {
    Sm3::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The last path component, without control characters, trimmed and cut to [`MAX_NAME_CHARS`]
/// (the extension kept), so a name can go into a header or a list without surprises.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect();
    let clean = clean.trim();
    if clean.chars().count() <= MAX_NAME_CHARS {
        return clean.to_owned();
    }
    let ext = clean
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty() && e.chars().count() <= 8);
    let keep = MAX_NAME_CHARS - ext.map_or(0, |e| e.chars().count() + 1);
    let stem: String = clean.chars().take(keep).collect();
    let stem = stem.trim_end();
    match ext {
        Some(e) => format!("{stem}.{e}"),
        None => stem.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn kinds_are_told_by_their_signatures() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(
            FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileKind::Png)
        );
        assert_eq!(FileKind::sniff(b"MZ\x90\0"), None, "an executable");
        assert_eq!(FileKind::sniff(b"PK\x03\x04"), None, "a zip or docx");
        assert_eq!(FileKind::sniff(b"%PD"), None, "a cut signature");
        assert_eq!(FileKind::sniff(b""), None);
    }

    #[test]
    fn a_file_is_judged_by_its_bytes_not_its_name() {
        let f = UploadedFile::inspect("营业执照.pdf", b"GIF89a");
        assert_eq!(f.kind, None);
        let f = UploadedFile::inspect("scan.txt", b"%PDF-1.4");
        assert_eq!(f.kind, Some(FileKind::Pdf));
        assert_eq!(f.size, 8);
        assert_eq!(f.digest.len(), 64);
    }

    #[test]
    fn names_lose_their_paths_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\张三\\身份证.jpg"), "身份证.jpg");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name(" a\r\n\"b\".pdf "), "ab.pdf");
        assert_eq!(clean_name("dir/"), "");
        let long = format!("{}.pdf", "长".repeat(300));
        let cut = clean_name(&long);
        assert_eq!(cut.chars().count(), MAX_NAME_CHARS);
        assert!(cut.ends_with(".pdf"));
    }

    #[test]
    fn the_digest_is_sm3() {
        // GB/T 32905-2016, example 1.
        assert_eq!(
            digest(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    proptest! {
        #[test]
        fn clean_names_are_short_and_plain(name in ".{0,400}") {
            let c = clean_name(&name);
            prop_assert!(c.chars().count() <= MAX_NAME_CHARS);
            prop_assert!(!c.contains(['/', '\\', '"']));
            prop_assert!(!c.chars().any(char::is_control));
            prop_assert_eq!(clean_name(&c), c.clone(), "cleaning is idempotent");
        }

        #[test]
        fn only_the_three_signatures_pass(head in proptest::collection::vec(any::<u8>(), 0..16)) {
            let kind = FileKind::sniff(&head);
            let expected = head.starts_with(b"%PDF-")
                || head.starts_with(&[0xFF, 0xD8, 0xFF])
                || head.starts_with(b"\x89PNG\r\n\x1a\n");
            prop_assert_eq!(kind.is_some(), expected);
        }
    }
}
